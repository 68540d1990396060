// One TLS handshake with Java's default client SSLContext ("TLS", the SunJSSE provider Smack and Spark use),
// certificate checks off (only the negotiated parameters matter). Loopback only.
// Usage: java HelloClient.java HOST PORT SNI   ->  prints "TLSv1.3 TLS_AES_256_GCM_SHA384" or exits 1.
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public final class HelloClient {
    public static void main(String[] args) throws Exception {
        TrustManager[] any = { new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        } };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, any, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 10000);
            s.setSoTimeout(10000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(args[2])));
            s.setSSLParameters(p);
            s.startHandshake();
            System.out.println(s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
        } catch (java.io.IOException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(1);
        }
    }
}
