// One login with gloox (Debian libgloox18, GnuTLS) as $XMPP_JID / $XMPP_PASSWORD; argument: default | strict.
// gloox leaves the certificate decision to the application (ConnectionListener::onTLSConnect); this driver accepts
// exactly what gloox reports as CertOk, with the system bundle as its CA list, as a careful application does.
// default: the library's TLS policy (TLSOptional: "TLS will be used if available") and SASL mechanisms (all).
// strict:  TLSRequired, and SASL limited to SCRAM-SHA-1-PLUS and SCRAM-SHA-1.
// The harness judges from the wire; what this prints is only for a human reading the transcript.
#include <gloox/client.h>
#include <gloox/connectionlistener.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {
class Driver : public gloox::ConnectionListener {
 public:
  explicit Driver(gloox::Client& client) : client_(client) {}
  void onConnect() override {
    std::printf("gloox: session started\n");
    connected_ = true;
    client_.disconnect();
  }
  void onDisconnect(gloox::ConnectionError e) override {
    std::printf("gloox: disconnected, ConnectionError %d, AuthenticationError %d\n", static_cast<int>(e), static_cast<int>(client_.authError()));
  }
  bool onTLSConnect(const gloox::CertInfo& info) override {
    std::printf("gloox: TLS %s, certificate status %d (0 = CertOk)\n", info.protocol.c_str(), info.status);
    return info.status == gloox::CertOk;
  }
  bool connected() const { return connected_; }

 private:
  gloox::Client& client_;
  bool connected_ = false;
};
}  // namespace

int main(int argc, char** argv) {
  const char* jid = std::getenv("XMPP_JID");
  const char* password = std::getenv("XMPP_PASSWORD");
  if (argc < 2 || jid == nullptr || password == nullptr) {
    std::fprintf(stderr, "usage: XMPP_JID=… XMPP_PASSWORD=… gloox_driver default|strict\n");
    return 2;
  }
  gloox::Client client(gloox::JID(jid), password);
  gloox::StringList cas;
  cas.push_back("/etc/ssl/certs/ca-certificates.crt");
  client.setCACerts(cas);
  if (std::strcmp(argv[1], "strict") == 0) {
    client.setTls(gloox::TLSRequired);
    client.setSASLMechanisms(gloox::SaslMechScramSha1Plus | gloox::SaslMechScramSha1);
  }
  Driver driver(client);
  client.registerConnectionListener(&driver);
  client.connect(true);
  std::fflush(stdout);
  return driver.connected() ? 0 : 1;
}
