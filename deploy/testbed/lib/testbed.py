#!/usr/bin/env python3
"""Helper for deploy/testbed/{up,down,check}.sh (python3 stdlib only).

Reads deploy/testbed/servers.json (the manifest) and, under $TESTBED_DIR:
  render   - test PKI (once), DH params (once), server configs, dnsmasq config,
             resolved manifest ($TESTBED_DIR/servers.json, with real addresses and TLSA data)
  start    - start dnsmasq, every Prosody and ejabberd, record PIDs, wait for every port
  healthy  - exit 0 if every recorded process runs and every port/DNS answers
  stop     - stop every recorded process (and ejabberd's helpers), wait for them to exit
  check    - verify a running testbed from the outside against the manifest
Only loopback addresses are ever bound or contacted.
"""
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(os.path.dirname(HERE), "servers.json")
TBDIR = os.environ.get("TESTBED_DIR", "/tmp/xmppscan-testbed")
NET = os.environ.get("TESTBED_NET", "127.1.0")
# ::1 is a single address: a second testbed on the same machine must set TESTBED_IPV6=0
IPV6 = os.environ.get("TESTBED_IPV6", "1") not in ("0", "no", "false", "")
START_TIMEOUT = float(os.environ.get("TESTBED_START_TIMEOUT", "40"))

PKI = os.path.join(TBDIR, "pki")
PIDS = os.path.join(TBDIR, "pids")
LOGS = os.path.join(TBDIR, "logs")
CONF = os.path.join(TBDIR, "conf")
DATA = os.path.join(TBDIR, "data")

def ejabberd_libs():
    """ERL_LIBS for Debian's ejabberd: the multiarch dir holding ejabberd-<version>/ebin."""
    import glob
    apps = sorted(glob.glob("/usr/lib/*/ejabberd-*/ebin/ejabberd.app"))
    return os.path.dirname(os.path.dirname(os.path.dirname(apps[-1]))) if apps else "/usr/lib/x86_64-linux-gnu"

# RFC 2409 section 6.2, Oakley group 2 (1024-bit MODP), generator 2
OAKLEY2_P = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
    "FFFFFFFFFFFFFFFF", 16)


def die(msg, code=1):
    print(f"testbed: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg):
    print(f"testbed: {msg}", file=sys.stderr)


# ---------------------------------------------------------------- manifest

def load_manifest():
    with open(MANIFEST) as f:
        m = json.load(f)
    if not re.fullmatch(r"127\.\d{1,3}\.\d{1,3}", NET) or NET == "127.0.0":
        die(f"TESTBED_NET={NET!r} must be 127.X.Y (loopback, not 127.0.0)")
    default = m["net"] + "."

    def fix(v):
        if isinstance(v, str) and v.startswith(default):
            return NET + "." + v[len(default):]
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        return v

    m = fix(m)
    m["net"] = NET
    m["ipv6"] = IPV6
    if not IPV6:
        for d in m["domains"]:
            d["dns"]["aaaa"] = {}
            for e in d["endpoints"]:
                e["addresses"] = [a for a in e["addresses"] if ":" not in a]
    return m


def endpoints(m):
    for d in m["domains"]:
        for e in d["endpoints"]:
            yield d, e


def cert_files(cid):
    base = os.path.join(PKI, "leaf", cid)
    return base + ".key", base + ".crt", base + ".chain.pem"


# ---------------------------------------------------------------- PKI

def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        die(f"command failed: {' '.join(cmd)}\n{r.stdout}{r.stderr}")
    return r.stdout


CA_CNF = """[ca]
default_ca = ca_default
[ca_default]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
default_days = 825
[policy_any]
commonName = supplied
organizationName = optional
[v3_intermediate]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
"""


def genkey(path, kind="RSA", bits=2048):
    if kind == "EC":
        run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path])
    else:
        run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}", "-out", path])
    os.chmod(path, 0o600)


def make_root(name, cn):
    d = os.path.join(PKI, name)
    if os.path.exists(os.path.join(d, "ca.pem")):
        return d
    os.makedirs(os.path.join(d, "newcerts"), exist_ok=True)
    genkey(os.path.join(d, "ca.key"))
    run(["openssl", "req", "-x509", "-new", "-sha256", "-days", "3650", "-key", os.path.join(d, "ca.key"),
         "-subj", f"/O=XmppScanCluster Testbed/CN={cn}", "-out", os.path.join(d, "ca.pem"),
         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
         "-addext", "subjectKeyIdentifier=hash"])
    init_ca_dir(d)
    return d


def init_ca_dir(d):
    os.makedirs(os.path.join(d, "newcerts"), exist_ok=True)
    open(os.path.join(d, "index.txt"), "a").close()
    if not os.path.exists(os.path.join(d, "serial")):
        with open(os.path.join(d, "serial"), "w") as f:
            f.write("1000\n")
    with open(os.path.join(d, "ca.cnf"), "w") as f:
        f.write(CA_CNF.format(dir=d))


def ca_sign(cadir, csr, out, extfile, ext, md="sha256", start=None, end=None, days=825):
    cmd = ["openssl", "ca", "-batch", "-notext", "-config", os.path.join(cadir, "ca.cnf"),
           "-cert", os.path.join(cadir, "ca.pem"), "-keyfile", os.path.join(cadir, "ca.key"),
           "-in", csr, "-out", out, "-md", md, "-extfile", extfile, "-extensions", ext]
    if start:
        cmd += ["-startdate", start, "-enddate", end]
    else:
        cmd += ["-days", str(days)]
    run(cmd)


def make_intermediate(root, cn):
    d = os.path.join(PKI, "intermediate")
    if os.path.exists(os.path.join(d, "ca.pem")):
        return d
    os.makedirs(d, exist_ok=True)
    genkey(os.path.join(d, "ca.key"))
    csr = os.path.join(d, "ca.csr")
    run(["openssl", "req", "-new", "-key", os.path.join(d, "ca.key"), "-subj",
         f"/O=XmppScanCluster Testbed/CN={cn}", "-out", csr])
    ca_sign(root, csr, os.path.join(d, "ca.pem.tmp"), os.path.join(root, "ca.cnf"), "v3_intermediate", days=3650)
    init_ca_dir(d)
    os.rename(os.path.join(d, "ca.pem.tmp"), os.path.join(d, "ca.pem"))
    return d


def leaf_ext(c):
    san = [f"DNS:{n}" for n in c.get("san_dns", [])]
    san += [f"otherName:1.3.6.1.5.5.7.8.7;IA5STRING:{n}" for n in c.get("san_srv", [])]
    san += [f"otherName:1.3.6.1.5.5.7.8.5;UTF8:{n}" for n in c.get("san_xmpp_addr", [])]
    ku = "digitalSignature" if c["key_type"] == "EC" else "digitalSignature,keyEncipherment"
    return ("[leaf]\nbasicConstraints = critical,CA:FALSE\n"
            f"keyUsage = critical,{ku}\nextendedKeyUsage = serverAuth,clientAuth\n"
            "subjectKeyIdentifier = hash\n"
            f"subjectAltName = {','.join(san)}\n")


def make_leaf(c, inter, other_root):
    key, crt, chain = cert_files(c["id"])
    if os.path.exists(chain):
        return
    os.makedirs(os.path.dirname(key), exist_ok=True)
    genkey(key, c["key_type"], c["key_bits"])
    ext = key[:-4] + ".ext"
    with open(ext, "w") as f:
        f.write(leaf_ext(c))
    subj = f"/O=XmppScanCluster Testbed/CN={c['subject_cn']}"
    md = "sha1" if c["signature_algorithm"].startswith("sha1") else "sha256"
    if c["verdict"] == "self_signed":
        run(["openssl", "req", "-x509", "-new", "-sha256", "-days", "825", "-key", key, "-subj", subj,
             "-config", ext, "-extensions", "leaf", "-out", crt])
        parts = [crt]
    else:
        csr = key[:-4] + ".csr"
        run(["openssl", "req", "-new", "-key", key, "-subj", subj, "-out", csr])
        issuer = other_root if c["verdict"] == "unknown_ca" else inter
        start = end = None
        if c.get("expired"):
            start = c["not_before"].replace("-", "").replace("T", "").replace(":", "")
            end = c["not_after"].replace("-", "").replace("T", "").replace(":", "")
        ca_sign(issuer, csr, crt, ext, "leaf", md=md, start=start, end=end)
        parts = [crt] + ([os.path.join(inter, "ca.pem")] if "intermediate" in c["chain_sent"] else [])
    with open(chain + ".tmp", "w") as out:
        for p in parts:
            out.write(open(p).read())
    os.rename(chain + ".tmp", chain)


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_int(v):
    b = v.to_bytes((v.bit_length() + 8) // 8, "big")  # keeps a leading 0 when the high bit is set
    return b"\x02" + der_len(len(b)) + b


def write_pem(path, label, der):
    import base64
    b = base64.b64encode(der).decode()
    with open(path, "w") as f:
        f.write(f"-----BEGIN {label}-----\n")
        for i in range(0, len(b), 64):
            f.write(b[i:i + 64] + "\n")
        f.write(f"-----END {label}-----\n")


def make_dhparams():
    d = os.path.join(PKI, "dh")
    os.makedirs(d, exist_ok=True)
    ff = os.path.join(d, "ffdhe2048.pem")
    if not os.path.exists(ff):
        run(["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", ff])
    ok = os.path.join(d, "oakley2.pem")
    if not os.path.exists(ok):
        body = der_int(OAKLEY2_P) + der_int(2)
        write_pem(ok, "DH PARAMETERS", b"\x30" + der_len(len(body)) + body)
    return {"ffdhe2048": ff, "oakley2": ok}


def spki_sha256(key):
    der = subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"],
                         capture_output=True, check=True).stdout
    return hashlib.sha256(der).hexdigest()


def render_pki(m):
    os.makedirs(PKI, exist_ok=True)
    ta = m["trust_anchor"]
    root = make_root("root", ta["root_cn"])
    inter = make_intermediate(root, ta["intermediate_cn"])
    other = make_root("unknown-root", ta["unknown_root_cn"])
    seen = set()
    for d in m["domains"]:
        c = d["expect"]["certificate"]
        if c["id"] not in seen:
            seen.add(c["id"])
            make_leaf(c, inter, other)
    decoy = os.path.join(PKI, "leaf", "dane-decoy.key")
    if not os.path.exists(decoy):
        genkey(decoy)
    bundle = os.path.join(PKI, "ca-bundle.pem")  # root + intermediate, for tools that want both
    with open(bundle, "w") as f:
        f.write(open(os.path.join(root, "ca.pem")).read() + open(os.path.join(inter, "ca.pem")).read())
    return {"root": os.path.join(root, "ca.pem"), "intermediate": os.path.join(inter, "ca.pem"),
            "unknown_root": os.path.join(other, "ca.pem"), "decoy": decoy, "bundle": bundle}


# ---------------------------------------------------------------- configs

OPENSSL_LEVEL0 = """# OpenSSL config for one testbed process only (never the system-wide one)
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
ssl_conf = ssl_sect
[provider_sect]
default = default_sect
legacy = legacy_sect
[default_sect]
activate = 1
[legacy_sect]
activate = 1
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = {minproto}
CipherString = ALL:COMPLEMENTOFALL:@SECLEVEL=0
"""

PROTO = {"TLSv1": "tlsv1", "TLSv1.1": "tlsv1_1", "TLSv1.2": "tlsv1_2", "TLSv1.3": "tlsv1_3"}


def lua_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lua_list(xs):
    return "{ " + ", ".join(lua_str(x) if isinstance(x, str) else str(x) for x in xs) + " }"


def needs_level0(d):
    c = d["expect"]["certificate"]
    return d["profile"] == "legacy" or c["verdict"] in ("sha1_signature", "rsa_1024")


def prosody_config(m, d, e, dh):
    p = m["profiles"][d["profile"]]
    key, _, chain = cert_files(d["expect"]["certificate"]["id"])
    ports = d["ports"]
    ssl = [f"certificate = {lua_str(chain)}", f"key = {lua_str(key)}",
           f"protocol = {lua_str(PROTO[p['protocols'][0]] + '+')}", f"ciphers = {lua_str(p['ciphers'])}"]
    if p["dhparam"]:
        ssl.append(f"dhparam = {lua_str(dh[p['dhparam']])}")
    ssl = "{ " + "; ".join(ssl) + "; }"
    name = e["name"]
    req = p["starttls_required"]
    plain_before_tls = bool(d["expect"]["sasl_before_tls"]["c2s"])
    datadir = os.path.join(DATA, name)
    certdir = os.path.join(CONF, name, "certs")
    os.makedirs(datadir, exist_ok=True)
    os.makedirs(certdir, exist_ok=True)
    return f"""-- generated by deploy/testbed/lib/testbed.py from servers.json; do not edit
-- {d['domain']}: profile {d['profile']}, certificate {d['expect']['certificate']['id']}
run_as_root = true
pidfile = {lua_str(os.path.join(PIDS, name + '.prosody.pid'))}
data_path = {lua_str(datadir)}
certificates = {lua_str(certdir)}
log = {{ {{ levels = {{ min = "info" }}, to = "file", filename = {lua_str(os.path.join(LOGS, name + '.log'))} }} }}
interfaces = {lua_list(e['addresses'])}
local_interfaces = {lua_list(e['addresses'][:1])}
use_ipv6 = {'true' if any(':' in a for a in e['addresses']) else 'false'}
c2s_ports = {{ {ports['c2s_starttls']} }}
c2s_direct_tls_ports = {{ {ports['c2s_direct_tls']} }}
s2s_ports = {{ {ports['s2s_starttls']} }}
s2s_direct_tls_ports = {{ {ports['s2s_direct_tls']} }}
legacy_ssl_ports = {{ }}
component_ports = {{ }}
http_ports = {{ }}
https_ports = {{ }}
modules_enabled = {{ "tls", "saslauth", "dialback", "disco", "ping", "roster" }}
modules_disabled = {{ "offline" }}
authentication = "internal_hashed"
storage = "internal"
c2s_require_encryption = {'true' if req['c2s'] else 'false'}
s2s_require_encryption = {'true' if req['s2s'] else 'false'}
s2s_secure_auth = false
allow_unencrypted_plain_auth = {'true' if plain_before_tls else 'false'}
ssl = {ssl}
c2s_direct_tls_ssl = {ssl}
s2s_direct_tls_ssl = {ssl}

VirtualHost {lua_str(d['domain'])}
    ssl = {ssl}
"""


def ejabberd_config(m, d, e, dh):
    p = m["profiles"][d["profile"]]
    key, _, chain = cert_files(d["expect"]["certificate"]["id"])
    ports = d["ports"]
    opts = ["no_sslv3", "no_tlsv1", "no_tlsv1_1", "cipher_server_preference", "no_compression"]
    opts_y = "[" + ", ".join(f'"{o}"' for o in opts) + "]"  # p1_yaml has no anchors/aliases
    addr = e["address"]
    dhf = dh[p["dhparam"]]

    def listener(port, module, extra):
        return (f"  -\n    port: {port}\n    ip: \"{addr}\"\n    module: {module}\n"
                f"    protocol_options: {opts_y}\n    ciphers: \"{p['ciphers']}\"\n    dhfile: \"{dhf}\"\n"
                + "".join(f"    {x}\n" for x in extra))

    return f"""# generated by deploy/testbed/lib/testbed.py from servers.json; do not edit
hosts:
  - "{d['domain']}"
loglevel: info
log_rotate_count: 0
hide_sensitive_log_data: false
certfiles:
  - "{chain}"
  - "{key}"
acme:
  auto: false
auth_method: internal
default_db: mnesia
c2s_ciphers: "{p['ciphers']}"
s2s_ciphers: "{p['ciphers']}"
c2s_dhfile: "{dhf}"
s2s_dhfile: "{dhf}"
c2s_protocol_options: {opts_y}
s2s_protocol_options: {opts_y}
s2s_use_starttls: {'required' if p['starttls_required']['s2s'] else 'optional'}
listen:
{listener(ports['c2s_starttls'], 'ejabberd_c2s', ['starttls_required: true' if p['starttls_required']['c2s'] else 'starttls: true'])}{listener(ports['c2s_direct_tls'], 'ejabberd_c2s', ['tls: true'])}{listener(ports['s2s_starttls'], 'ejabberd_s2s_in', [])}{listener(ports['s2s_direct_tls'], 'ejabberd_s2s_in', ['tls: true'])}
acl:
  local:
    user_regexp: ""
access_rules:
  local:
    allow: local
  c2s:
    allow: all
  s2s:
    allow: all
shaper_rules:
  c2s_shaper: none
modules:
  mod_disco: {{}}
  mod_ping: {{}}
  mod_roster: {{}}
"""


def dnsmasq_config(m, pki):
    dns = m["dns"]
    lines = ["# generated by deploy/testbed/lib/testbed.py from servers.json; do not edit",
             f"listen-address={dns['address']}", "bind-interfaces", f"port={dns['port']}",
             "no-resolv", "no-hosts", "no-poll", "no-negcache", "local=/test/", "domain-needed",
             "log-queries", f"log-facility={os.path.join(LOGS, 'dnsmasq.log')}",
             f"pid-file={os.path.join(PIDS, 'dnsmasq.selfpid')}", "user=root", "group=root"]
    for d in m["domains"]:
        for r in d["dns"]["srv"]:
            lines.append(f"srv-host={r['name']},{r['target']},{r['port']},{r['priority']},{r['weight']}")
        for host, a in d["dns"]["a"].items():
            aaaa = d["dns"].get("aaaa", {}).get(host)
            lines.append(f"host-record={host},{a}" + (f",{aaaa}" if aaaa else ""))
        t = d["dns"].get("tlsa")
        if t:
            lines += [f"dns-rr={n},52,{t['usage']:02x}{t['selector']:02x}{t['matching_type']:02x}{t['data']}"
                      for n in t["names"]]
    for d in m.get("no_service_domains", []):
        for r in d["dns"]["srv"]:
            lines.append(f"srv-host={r['name']}")  # no target = SRV with target "." (service not available)
    return "\n".join(lines) + "\n"


def hosts_file(m):
    """An /etc/hosts replacement for tools that resolve names only through the system resolver
    (sslscan, nmap): with-hosts.sh bind-mounts it over /etc/hosts in a private mount namespace.
    The domain comes first on each line, so reverse lookups of a server address give its XMPP domain."""
    lines = ["# generated by deploy/testbed/lib/testbed.py; used by deploy/testbed/with-hosts.sh",
             "127.0.0.1 localhost", "::1 localhost ip6-localhost ip6-loopback"]
    for d, e in endpoints(m):
        names = [d["domain"]] + ([e["srv_target"]] if e["srv_target"] else [])
        lines.append(f"{e['address']} {' '.join(names)}")
    return "\n".join(lines) + "\n"


def fill_tlsa(m, pki):
    for d in m["domains"]:
        t = d["dns"].get("tlsa")
        if not t:
            continue
        key = cert_files(d["expect"]["certificate"]["id"])[0] if t["matches_certificate"] else pki["decoy"]
        t["data"] = spki_sha256(key)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def cmd_render():
    m = load_manifest()
    for d in (PIDS, LOGS, CONF, DATA):
        os.makedirs(d, exist_ok=True)
    pki = render_pki(m)
    dh = make_dhparams()
    fill_tlsa(m, pki)
    for d, e in endpoints(m):
        if d["software"] == "prosody":
            write(os.path.join(CONF, e["name"], "prosody.cfg.lua"), prosody_config(m, d, e, dh))
        elif d["software"] == "ejabberd":
            write(os.path.join(CONF, e["name"], "ejabberd.yml"), ejabberd_config(m, d, e, dh))
        if needs_level0(d):
            minproto = m["profiles"][d["profile"]]["protocols"][0]
            write(os.path.join(CONF, e["name"], "openssl.cnf"), OPENSSL_LEVEL0.format(minproto=minproto))
    write(os.path.join(CONF, "dnsmasq.conf"), dnsmasq_config(m, pki))
    write(os.path.join(TBDIR, "hosts"), hosts_file(m))
    write(os.path.join(CONF, "openssl-client.cnf"), OPENSSL_LEVEL0.format(minproto="TLSv1"))
    m["generated"] = {"testbed_dir": TBDIR, "ca_root": pki["root"], "ca_intermediate": pki["intermediate"],
                      "ca_bundle": pki["bundle"], "unknown_root": pki["unknown_root"]}
    for d in m["domains"]:
        key, crt, chain = cert_files(d["expect"]["certificate"]["id"])
        d["expect"]["certificate"]["files"] = {"key": key, "leaf": crt, "chain_sent": chain}
    write(os.path.join(TBDIR, "servers.json"), json.dumps(m, indent=2) + "\n")


# ---------------------------------------------------------------- processes

def proc_start_time(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    fields = s[s.rindex(")") + 2:].split()
    if fields[0] == "Z":
        return None  # zombie: exited, waiting to be reaped
    return fields[19]


def proc_ppid(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
        return int(s[s.rindex(")") + 2:].split()[1])
    except (OSError, ValueError):
        return None


def proc_comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return None


def descendants(pid):
    kids = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            pp = proc_ppid(int(p))
            if pp:
                kids.setdefault(pp, []).append(int(p))
    out, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def record(name, pid):
    """pids/<name>.pid holds lines 'PID STARTTIME COMM' so a reused PID is never killed."""
    st = proc_start_time(pid)
    if st is None:
        return
    path = os.path.join(PIDS, name + ".pid")
    with open(path, "a") as f:
        f.write(f"{pid} {st} {proc_comm(pid)}\n")


def recorded():
    out = []
    if not os.path.isdir(PIDS):
        return out
    for fn in sorted(os.listdir(PIDS)):
        if not fn.endswith(".pid") or fn.endswith(".prosody.pid"):
            continue
        with open(os.path.join(PIDS, fn)) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    out.append((fn[:-4], int(parts[0]), parts[1]))
    return out


def alive(pid, st):
    return proc_start_time(pid) == st


def spawn(name, cmd, env_extra=None, cwd=None):
    for lp in logs_of(name):  # keep one previous generation, so a failure shows this run's log
        os.replace(lp, lp + ".1")
    env = dict(os.environ)
    env.update(env_extra or {})
    logf = open(os.path.join(LOGS, name + ".stdout.log"), "ab")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                         env=env, cwd=cwd or TBDIR, start_new_session=True)
    try:
        os.unlink(os.path.join(PIDS, name + ".pid"))
    except FileNotFoundError:
        pass
    time.sleep(0)
    record(name, p.pid)
    return p


def all_ports(m):
    """(label, address, port, process name) for every TCP listener the manifest promises."""
    out = []
    for d, e in endpoints(m):
        for a in e["addresses"]:
            for k, port in d["ports"].items():
                out.append((f"{d['domain']} {k}", a, port, e["name"]))
    return out


def tcp_listeners():
    """{"addr:port": {pid, ...}} for listening TCP sockets (from ss), IPv6 as [addr]:port."""
    out = {}
    r = subprocess.run(["ss", "-Hltnp"], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) >= 4:
            out.setdefault(f[3], set()).update(int(x) for x in re.findall(r"pid=(\d+)", line))
    return out


def sockaddr(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def tcp_ok(addr, port, timeout=0.5):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect((addr, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def tail(path, n=25):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return "(no log)\n"


def logs_of(name):
    return [p for p in (os.path.join(LOGS, name + ".log"), os.path.join(LOGS, name + ".stdout.log"),
                        os.path.join(LOGS, name, "ejabberd.log"), os.path.join(LOGS, name, "error.log"))
            if os.path.exists(p)]


def cmd_start():
    m = load_manifest()
    procs = {}
    dns = m["dns"]
    procs["dnsmasq"] = spawn("dnsmasq", ["dnsmasq", "--keep-in-foreground",
                                         f"--conf-file={os.path.join(CONF, 'dnsmasq.conf')}"])
    for d, e in endpoints(m):
        name = e["name"]
        env = {}
        ossl = os.path.join(CONF, name, "openssl.cnf")
        if os.path.exists(ossl):
            env["OPENSSL_CONF"] = ossl
        if d["software"] == "prosody":
            procs[name] = spawn(name, ["prosody", "--config", os.path.join(CONF, name, "prosody.cfg.lua"), "-F"], env)
        elif d["software"] == "ejabberd":
            home = os.path.join(DATA, name)
            os.makedirs(os.path.join(LOGS, name), exist_ok=True)
            os.makedirs(os.path.join(home, "mnesia"), exist_ok=True)
            env.update({"HOME": home, "ERL_LIBS": ejabberd_libs(),
                        "EJABBERD_CONFIG_PATH": os.path.join(CONF, name, "ejabberd.yml"),
                        "EJABBERD_LOG_PATH": os.path.join(LOGS, name, "ejabberd.log"),
                        "ERL_CRASH_DUMP": os.path.join(LOGS, name, "erl_crash.dump"), "ERL_CRASH_DUMP_BYTES": "0"})
            procs[name] = spawn(name, ["erl", "-noinput", "-noshell", "+K", "true", "-start_epmd", "false",
                                       "-mnesia", "dir", f'"{os.path.join(home, "mnesia")}"',
                                       "-ejabberd", "log_path", f'"{os.path.join(LOGS, name, "ejabberd.log")}"',
                                       "-s", "ejabberd"], env, cwd=home)
        else:
            die(f"unknown software {d['software']}")
    wanted = all_ports(m)
    deadline = time.time() + START_TIMEOUT
    pending = list(wanted)
    dns_up = False
    while time.time() < deadline:
        for name, p in procs.items():
            if p.poll() is not None:
                fail(name, f"{name} exited with status {p.returncode} during start-up")
        if pending:
            lst = tcp_listeners()
            pending = [w for w in pending if procs[w[3]].pid not in lst.get(sockaddr(w[1], w[2]), set())]
            for w in pending:
                other = lst.get(sockaddr(w[1], w[2]))
                if other:
                    fail(w[3], f"{sockaddr(w[1], w[2])} ({w[0]}) is held by another process (pid {sorted(other)}), "
                               f"not by {w[3]}: choose another TESTBED_NET or stop that process")
        dns_up = dns_up or dns_answers(dns["address"], dns["port"])
        if not pending and dns_up:
            break
        time.sleep(0.1)
    if pending or not dns_up:
        what = "; ".join(f"{w[0]} ({w[1]}:{w[2]})" for w in pending[:8]) or "DNS"
        fail(pending[0][3] if pending else "dnsmasq", f"timeout after {START_TIMEOUT:.0f}s waiting for {what}")
    # ejabberd's helpers (erl_child_setup, inet_gethost) run in sessions of their own: record them
    for d, e in endpoints(m):
        if d["software"] == "ejabberd":
            for k in descendants(procs[e["name"]].pid):
                record(e["name"] + ".helpers", k)
    write(os.path.join(TBDIR, "source.sha256"), source_digest() + "\n")
    log(f"started {len(procs)} processes, {len(wanted)} TCP ports and DNS on {dns['address']}:{dns['port']}")


def fail(name, msg):
    out = [f"ERROR: {msg}"]
    for lp in logs_of(name):
        out.append(f"--- tail of {lp}:\n{tail(lp)}")
    print("\n".join(out), file=sys.stderr)
    cmd_stop(quiet=True)
    sys.exit(1)


def source_digest():
    """Changes when the manifest (or TESTBED_NET/TESTBED_IPV6) changes: a running testbed with other
    facts is restarted. Only the manifest counts, not this helper: callers from several checkouts
    with the same manifest share one running testbed without restarting it."""
    h = hashlib.sha256(f"{NET} {IPV6}".encode())
    with open(MANIFEST, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def cmd_healthy():
    m = load_manifest()
    try:
        with open(os.path.join(TBDIR, "source.sha256")) as f:
            if f.read().strip() != source_digest():
                return 1
    except OSError:
        return 1
    rec = recorded()
    names = {n for n, _, _ in rec}
    need = {"dnsmasq"} | {e["name"] for _, e in endpoints(m)}
    if not need <= names:
        return 1
    for n, pid, st in rec:
        if not n.endswith(".helpers") and not alive(pid, st):
            return 1
    main = {n: pid for n, pid, st in rec if not n.endswith(".helpers")}
    lst = tcp_listeners()
    for w in all_ports(m):
        # generous timeouts: a false "unhealthy" on a loaded machine would restart a testbed others use
        if main.get(w[3]) not in lst.get(sockaddr(w[1], w[2]), set()) or not tcp_ok(w[1], w[2], 3.0):
            return 1
    if not any(dns_answers(m["dns"]["address"], m["dns"]["port"], 1.5) for _ in range(3)):
        return 1
    return 0


def cmd_stop(quiet=False):
    rec = recorded()
    targets = []
    for n, pid, st in rec:
        if alive(pid, st):
            targets.append((n, pid, st))
            # children that appeared after start (e.g. inet_gethost) are stopped too
            for k in descendants(pid):
                kst = proc_start_time(k)
                if kst:
                    targets.append((n + ".child", k, kst))
    # main processes first (TERM), helpers after; then wait, then KILL what is left
    seen = set()
    uniq = []
    for t in targets:
        if t[1] not in seen:
            seen.add(t[1])
            uniq.append(t)
    for n, pid, st in uniq:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + 10
    while time.time() < deadline and any(alive(pid, st) for _, pid, st in uniq):
        time.sleep(0.1)
    left = [(n, pid, st) for n, pid, st in uniq if alive(pid, st)]
    for n, pid, st in left:
        if not quiet:
            log(f"{n} (pid {pid}) ignored SIGTERM, sending SIGKILL")
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.time() + 5
    while time.time() < deadline and any(alive(pid, st) for _, pid, st in left):
        time.sleep(0.1)
    still = [(n, pid) for n, pid, st in uniq if alive(pid, st)]
    if still:
        die(f"could not stop: {still}")
    if os.path.isdir(PIDS):
        for fn in os.listdir(PIDS):
            os.unlink(os.path.join(PIDS, fn))
    if not quiet:
        log(f"stopped {len(uniq)} processes" if uniq else "nothing was running")
    return 0


# ---------------------------------------------------------------- DNS client (stdlib)

TYPES = {"A": 1, "AAAA": 28, "SRV": 33, "TLSA": 52, "PTR": 12}


def dns_query(server, port, name, qtype, timeout=1.0, attempts=3):
    for i in range(attempts):
        try:
            return dns_query_once(server, port, name, qtype, timeout)
        except socket.timeout:
            if i == attempts - 1:
                raise


def dns_query_once(server, port, name, qtype, timeout):
    qid = int.from_bytes(os.urandom(2), "big")
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\x00" + struct.pack(">HH", TYPES[qtype], 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    try:
        s.sendto(q, (server, port))
        data, _ = s.recvfrom(4096)
    finally:
        s.close()
    rid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", data[:12])
    if rid != qid:
        raise OSError("DNS id mismatch")
    rcode = flags & 0xF
    pos = 12
    for _ in range(qd):
        _, pos = read_name(data, pos)
        pos += 4
    answers = []
    for _ in range(an):
        rname, pos = read_name(data, pos)
        rtype, rclass, ttl, rdlen = struct.unpack(">HHIH", data[pos:pos + 10])
        pos += 10
        rd = data[pos:pos + rdlen]
        if rtype == 1:
            val = socket.inet_ntop(socket.AF_INET, rd)
        elif rtype == 28:
            val = socket.inet_ntop(socket.AF_INET6, rd)
        elif rtype == 33:
            pri, w, p = struct.unpack(">HHH", rd[:6])
            tgt, _ = read_name(data, pos + 6)
            val = {"priority": pri, "weight": w, "port": p, "target": tgt or "."}
        elif rtype == 52:
            val = {"usage": rd[0], "selector": rd[1], "matching_type": rd[2], "data": rd[3:].hex()}
        elif rtype == 12:
            val, _ = read_name(data, pos)
        else:
            val = rd.hex()
        if rtype == TYPES[qtype]:
            answers.append(val)
        pos += rdlen
    return rcode, bool(flags & 0x0400), answers


def read_name(data, pos):
    labels, jumped, end = [], False, None
    while True:
        n = data[pos]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = pos + 2
            pos = ((n & 0x3F) << 8) | data[pos + 1]
            jumped = True
            continue
        if n == 0:
            pos += 1
            break
        labels.append(data[pos + 1:pos + 1 + n].decode())
        pos += 1 + n
    return ".".join(labels), (end if jumped else pos)


def dns_answers(server, port, timeout=0.3):
    try:
        rcode, _, ans = dns_query(server, port, "_xmpp-client._tcp.modern.test", "SRV", timeout, attempts=1)
        return rcode == 0 and bool(ans)
    except OSError:
        return False


# ---------------------------------------------------------------- check (from the outside)

class Checker:
    def __init__(self, m):
        self.m = m
        self.errors = []
        self.ok = 0
        self.client_env = dict(os.environ, OPENSSL_CONF=os.path.join(CONF, "openssl-client.cnf"))
        self.root = m["generated"]["ca_root"] if "generated" in m else os.path.join(PKI, "root", "ca.pem")

    def expect(self, cond, what):
        if cond:
            self.ok += 1
        else:
            self.errors.append(what)

    def s_client(self, addr, port, domain, mode, extra=(), timeout=30):
        """mode: c2s | s2s (STARTTLS) | c2s_direct | s2s_direct."""
        host = f"[{addr}]" if ":" in addr else addr
        cmd = ["openssl", "s_client", "-connect", f"{host}:{port}", "-showcerts", "-servername", domain]
        if mode == "c2s":
            cmd += ["-starttls", "xmpp", "-xmpphost", domain]
        elif mode == "s2s":
            cmd += ["-starttls", "xmpp-server", "-xmpphost", domain]
        elif mode == "c2s_direct":
            cmd += ["-alpn", "xmpp-client"]
        elif mode == "s2s_direct":
            cmd += ["-alpn", "xmpp-server"]
        cmd += list(extra)
        try:
            r = subprocess.run(cmd, input="Q\n", capture_output=True, text=True, timeout=timeout, env=self.client_env)
            out = r.stdout + r.stderr
        except subprocess.TimeoutExpired as ex:
            out = (ex.stdout or b"").decode(errors="replace") if isinstance(ex.stdout, bytes) else (ex.stdout or "")
        proto = re.search(r"^\s*Protocol\s*:\s*(\S+)", out, re.M)
        cipher = re.search(r"^\s*Cipher\s*:\s*(\S+)", out, re.M)
        new = re.search(r"^New, (\S+), Cipher is (\S+)", out, re.M)
        ok = bool(new) and new.group(2) != "(NONE)"
        certs = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", out, re.S)
        temp = re.search(r"Server Temp Key: ([^\n]+)", out)
        alpn = re.search(r"ALPN protocol: (\S+)", out)
        # TLS 1.3: no SSL-Session block at handshake time, but "New, TLSv1.3, ..." names it;
        # for <= 1.2 that field is the cipher's version, so take "Protocol :" from the session block.
        version = proto.group(1) if proto else (new.group(1) if new and new.group(1) == "TLSv1.3" else None)
        return {"ok": ok, "protocol": version if ok else None,
                "cipher": (cipher.group(1) if cipher else new.group(2)) if ok else None,
                "certs": certs, "alpn": alpn.group(1) if alpn else None, "temp_key": temp.group(1) if temp else None, "raw": out}

    def verify_chain(self, certs, domain):
        with tempfile.TemporaryDirectory() as t:
            leaf = os.path.join(t, "leaf.pem")
            open(leaf, "w").write(certs[0] + "\n")
            cmd = ["openssl", "verify", "-CAfile", self.root, "-auth_level", "2"]
            if len(certs) > 1:
                un = os.path.join(t, "untrusted.pem")
                open(un, "w").write("\n".join(certs[1:]) + "\n")
                cmd += ["-untrusted", un]
            nocheck = subprocess.run(cmd + [leaf], capture_output=True, text=True)
            named = subprocess.run(["openssl", "x509", "-noout", "-checkhost", domain, "-in", leaf],
                                   capture_output=True, text=True).stdout
            code = re.search(r"error (\d+) at", nocheck.stdout + nocheck.stderr)
            text = subprocess.run(["openssl", "x509", "-noout", "-text", "-in", leaf], capture_output=True,
                                  text=True).stdout
        return (nocheck.returncode == 0, int(code.group(1)) if code else 0,
                "does match" in named, None, text)

    def xmpp_features(self, addr, port, domain, ns):
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(5)
        data = b""
        try:
            s.connect((addr, port))
            extra = " xmlns:db='jabber:server:dialback'" if ns == "jabber:server" else ""
            s.sendall((f"<?xml version='1.0'?><stream:stream to='{domain}' xmlns='{ns}'{extra} "
                       f"xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>").encode())
            while b"</stream:features>" not in data and len(data) < 65536:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        finally:
            s.close()
        text = data.decode(errors="replace")
        feats = re.search(r"<stream:features.*?</stream:features>", text, re.S)
        feats = feats.group(0) if feats else ""
        starttls = re.search(r"<starttls[^>]*?(/>|>.*?</starttls>)", feats, re.S)
        mechs = re.findall(r"<mechanism>([^<]+)</mechanism>", feats)
        names = []
        try:
            import xml.etree.ElementTree as ET
            root = ET.fromstring("<r xmlns:stream='http://etherx.jabber.org/streams'>" + feats + "</r>")
            names = sorted(ch.tag.split("}")[-1] for f in root for ch in f)
        except ET.ParseError:
            pass
        return {"features": feats, "names": names, "starttls": bool(starttls),
                "required": bool(starttls and "required" in starttls.group(0)), "mechanisms": sorted(mechs),
                "raw": text}

    def check_dns(self):
        dns = self.m["dns"]
        srv, port = dns["address"], dns["port"]
        for d in self.m["domains"]:
            by = {}
            for r in d["dns"]["srv"]:
                by.setdefault(r["name"], []).append(r)
            for name, recs in by.items():
                rcode, aa, ans = dns_query(srv, port, name, "SRV")
                want = sorted((r["priority"], r["weight"], r["port"], r["target"]) for r in recs)
                got = sorted((a["priority"], a["weight"], a["port"], a["target"]) for a in ans)
                self.expect(got == want, f"DNS SRV {name}: got {got}, want {want}")
            if not d["dns"]["srv"]:
                for s in ("_xmpp-client._tcp", "_xmpp-server._tcp"):
                    rcode, aa, ans = dns_query(srv, port, f"{s}.{d['domain']}", "SRV")
                    self.expect(not ans, f"DNS SRV {s}.{d['domain']}: expected no record, got {ans}")
            for host, a in d["dns"]["a"].items():
                rcode, aa, ans = dns_query(srv, port, host, "A")
                self.expect(ans == [a], f"DNS A {host}: got {ans}, want [{a}]")
                rcode, aa, ans = dns_query(srv, port, host, "AAAA")
                want6 = [d["dns"]["aaaa"][host]] if host in d["dns"].get("aaaa", {}) else []
                self.expect(ans == want6, f"DNS AAAA {host}: got {ans}, want {want6}")
            t = d["dns"].get("tlsa")
            if t:
                for n in t["names"]:
                    rcode, aa, ans = dns_query(srv, port, n, "TLSA")
                    want = [{"usage": t["usage"], "selector": t["selector"], "matching_type": t["matching_type"],
                             "data": t["data"]}]
                    self.expect(ans == want, f"DNS TLSA {n}: got {ans}, want {want}")
                key = cert_files(d["expect"]["certificate"]["id"])[0]
                self.expect((spki_sha256(key) == t["data"]) == t["matches_certificate"],
                            f"TLSA for {d['domain']}: match-with-certificate is not {t['matches_certificate']}")
        for d in self.m.get("no_service_domains", []):
            for r in d["dns"]["srv"]:
                rcode, aa, ans = dns_query(srv, port, r["name"], "SRV")
                self.expect([a["target"] for a in ans] == ["."], f"DNS SRV {r['name']}: want target '.', got {ans}")
        rcode, aa, ans = dns_query(srv, port, "does-not-exist.test", "A")
        self.expect(rcode == 3, f"DNS: does-not-exist.test should be NXDOMAIN, rcode {rcode}")
        rcode, aa, ans = dns_query(srv, port, "example.com", "A")
        self.expect(not ans, f"DNS: must not answer outside .test (example.com -> {ans})")
        # bound to its own address only
        ss = subprocess.run(["ss", "-Hlnup"], capture_output=True, text=True).stdout + \
            subprocess.run(["ss", "-Hlntp"], capture_output=True, text=True).stdout
        mine = {str(pid) for n, pid, st in recorded() if n == "dnsmasq"}
        for line in ss.splitlines():
            pids = set(re.findall(r"pid=(\d+)", line))
            if pids & mine:
                local = line.split()[3]
                self.expect(local == f"{srv}:{port}", f"dnsmasq listens on {local}, want only {srv}:{port}")

    def check_listeners(self):
        """Every testbed process listens only on its manifest addresses."""
        allowed = {}
        for d, e in endpoints(self.m):
            allowed[e["name"]] = {f"{a}:{p}" if ":" not in a else f"[{a}]:{p}"
                                  for a in e["addresses"] for p in d["ports"].values()}
        pidname = {}
        for n, pid, st in recorded():
            base = n.split(".")[0]
            pidname[str(pid)] = base
        ss = subprocess.run(["ss", "-Hlntup"], capture_output=True, text=True).stdout
        for line in ss.splitlines():
            for pid in set(re.findall(r"pid=(\d+)", line)):
                n = pidname.get(pid)
                if n and n != "dnsmasq":
                    local = line.split()[4]
                    self.expect(local in allowed.get(n, ()), f"{n} listens on {local}, not in the manifest")

    def check_endpoint(self, d, e, addr):
        ex = d["expect"]
        dom = d["domain"]
        p = d["ports"]
        c = ex["certificate"]
        tag = f"{dom} @ {addr}"
        # 1. handshake on all four ports, with ALPN on the direct-TLS ones
        hs = {}
        for mode, port in (("c2s", p["c2s_starttls"]), ("c2s_direct", p["c2s_direct_tls"]),
                           ("s2s", p["s2s_starttls"]), ("s2s_direct", p["s2s_direct_tls"])):
            r = self.s_client(addr, port, dom, mode)
            hs[mode] = r
            self.expect(r["ok"], f"{tag}:{port} ({mode}): no TLS handshake\n{r['raw'][-600:]}")
            if r["ok"]:
                if mode.endswith("_direct"):
                    self.expect(r["alpn"] == ex["alpn_selected"],
                                f"{tag}:{port} ({mode}): server selected ALPN {r['alpn']}, want {ex['alpn_selected']}")
                self.expect(r["protocol"] == ex["protocols"][-1],
                            f"{tag}:{port} ({mode}): negotiated {r['protocol']}, want {ex['protocols'][-1]}")
        # 2. protocol versions (c2s STARTTLS and c2s direct TLS)
        flags = {"TLSv1": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2", "TLSv1.3": "-tls1_3"}
        for mode, port in (("c2s", p["c2s_starttls"]), ("c2s_direct", p["c2s_direct_tls"])):
            for proto, flag in flags.items():
                r = self.s_client(addr, port, dom, mode, [flag])
                want = proto in ex["protocols"]
                self.expect(r["ok"] == want and (not want or r["protocol"] == proto),
                            f"{tag}:{port} ({mode}): {proto} accepted={r['ok']} ({r['protocol']}), want {want}")
        # 3. suite classes on TLS 1.2, c2s STARTTLS and c2s direct TLS
        classes = {"aead": "AESGCM:CHACHA20:!aNULL:!eNULL", "cbc": "SHA1:SHA256:SHA384:!aNULL:!eNULL",
                   "static_rsa": "kRSA:!aNULL:!eNULL", "dhe": "kDHE:!aNULL:!eNULL", "null": "eNULL",
                   "anon": "aNULL:!eNULL"}
        for mode, port in (("c2s", p["c2s_starttls"]), ("c2s_direct", p["c2s_direct_tls"])):
            for cls, cs in classes.items():
                r = self.s_client(addr, port, dom, mode, ["-tls1_2", "-cipher", cs + ":@SECLEVEL=0"])
                want = ex["suite_classes"][cls]
                self.expect(r["ok"] == want, f"{tag}:{port} ({mode}): {cls} suites accepted={r['ok']} "
                                             f"({r['cipher']}), want {want}")
                if cls == "dhe" and r["ok"] and ex["dhe_bits"]:
                    self.expect(r["temp_key"] == f"DH, {ex['dhe_bits']} bits",
                                f"{tag}:{port} ({mode}): DHE temp key {r['temp_key']}, want {ex['dhe_bits']} bits")
        # 4. certificate chain as sent, verified against the trust anchor
        for mode in hs:
            r = hs[mode]
            if not r["ok"]:
                continue
            self.expect(len(r["certs"]) == len(c["chain_sent"]),
                        f"{tag} ({mode}): server sent {len(r['certs'])} certificates, want {len(c['chain_sent'])}")
        r = hs["c2s"]
        if r["ok"] and r["certs"]:
            chain_ok, code, name_ok, ncode, text = self.verify_chain(r["certs"], dom)
            self.expect(chain_ok == c["chain_valid"],
                        f"{tag}: chain verification ok={chain_ok} (error {code}), want {c['chain_valid']}")
            want_code = {"expired": 10, "self_signed": 18, "missing_intermediate": 20, "unknown_ca": 20,
                         "sha1_signature": 68, "rsa_1024": 66}.get(c["verdict"], 0)
            self.expect(code == want_code, f"{tag}: verify error {code}, want {want_code} for {c['verdict']}")
            want_name = c["matching_identifier"] == "dns_id"
            self.expect(name_ok == want_name,
                        f"{tag}: DNS-ID match for {dom} (openssl x509 -checkhost) = {name_ok}, want {want_name}")
            cn = re.search(r"Subject:.*?CN\s*=\s*([^\n,]+)", text)
            self.expect(cn and cn.group(1).strip() == c["subject_cn"],
                        f"{tag}: subject CN {cn.group(1) if cn else None!r}, want {c['subject_cn']!r}")
            sans = re.findall(r"DNS:([^,\s]+)", text)
            self.expect(sans == c["san_dns"], f"{tag}: SAN dNSName {sans}, want {c['san_dns']}")
            if c.get("san_srv"):
                for n in c["san_srv"] + c.get("san_xmpp_addr", []):
                    self.expect(n in text, f"{tag}: SAN otherName {n} missing")
            kt = re.search(r"Public-Key: \((\d+) bit\)", text)
            self.expect(kt and int(kt.group(1)) == c["key_bits"], f"{tag}: key bits {kt.group(1) if kt else None}")
            self.expect(("id-ecPublicKey" in text) == (c["key_type"] == "EC"), f"{tag}: key type, want {c['key_type']}")
            self.expect(f"Signature Algorithm: {c['signature_algorithm']}" in text,
                        f"{tag}: signature algorithm, want {c['signature_algorithm']}")
        # 5. stream features before TLS: STARTTLS required?, SASL mechanisms offered before TLS
        f = self.xmpp_features(addr, p["c2s_starttls"], dom, "jabber:client")
        self.expect(f["starttls"], f"{tag}: c2s does not offer STARTTLS\n{f['raw'][:400]}")
        self.expect(f["required"] == ex["starttls_required"]["c2s"],
                    f"{tag}: c2s STARTTLS required={f['required']}, want {ex['starttls_required']['c2s']}\n{f['features']}")
        self.expect(f["mechanisms"] == sorted(ex["sasl_before_tls"]["c2s"]),
                    f"{tag}: c2s SASL before TLS {f['mechanisms']}, want {sorted(ex['sasl_before_tls']['c2s'])}")
        f = self.xmpp_features(addr, p["s2s_starttls"], dom, "jabber:server")
        self.expect(f["starttls"], f"{tag}: s2s does not offer STARTTLS\n{f['raw'][:400]}")
        self.expect(f["names"] == sorted(ex["s2s_features_before_tls"]),
                    f"{tag}: s2s features before TLS {f['names']}, want {sorted(ex['s2s_features_before_tls'])}")
        self.expect(f["required"] == ex["starttls_required"]["s2s"],
                    f"{tag}: s2s STARTTLS required={f['required']}, want {ex['starttls_required']['s2s']}\n{f['features']}")
        # 6. a stream to another domain is refused (host-unknown)
        f = self.xmpp_features(addr, p["c2s_starttls"], "not-served.test", "jabber:client")
        self.expect("host-unknown" in f["raw"], f"{tag}: stream to not-served.test not refused with host-unknown")
        # 7. a TLS 1.2 hello with no suite in common (signed by the other key type): a fatal alert, or a bare
        #    close (ejabberd/fast_tls sends no alert on any handshake failure: the probes' no-alert case, issue 15)
        other = "aECDSA" if c["key_type"] == "RSA" else "aRSA"
        r = self.s_client(addr, p["c2s_direct_tls"], dom, "c2s_direct", ["-tls1_2", "-cipher", other, "-msg"])
        got = "alert" if re.search(r"^<<< .*Alert", r["raw"], re.M) else "close"
        self.expect(not r["ok"] and got == ex["handshake_failure"],
                    f"{tag}: no suite in common answered with {got} (handshake ok={r['ok']}), want {ex['handshake_failure']}")

    TLS13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
             "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"]
    FLAGS = {"TLSv1": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2", "TLSv1.3": "-tls1_3"}

    def client_suites(self, proto):
        """(IANA name, OpenSSL name) of every suite this OpenSSL client can offer for proto."""
        if proto == "TLSv1.3":
            return [(n, n) for n in self.TLS13]
        out = subprocess.run(["openssl", "ciphers", "-s", self.FLAGS[proto], "-stdname",
                              "ALL:COMPLEMENTOFALL:@SECLEVEL=0"], capture_output=True, text=True,
                             env=self.client_env).stdout
        return [(l.split()[0], l.split()[2]) for l in out.splitlines() if " - " in l]

    def measure_suites(self, addr, port, domain, mode, pool):
        """{protocol: sorted IANA names the server accepts}, one handshake per suite (TLS 1.3 included)."""
        jobs = {}
        for proto, flag in self.FLAGS.items():
            for iana, ossl in self.client_suites(proto):
                extra = [flag, "-ciphersuites", ossl] if proto == "TLSv1.3" else \
                    [flag, "-cipher", ossl + ":@SECLEVEL=0"]
                jobs[(proto, iana)] = pool.submit(self.s_client, addr, port, domain, mode, extra)
        res = {p: [] for p in self.FLAGS}
        for (proto, iana), fut in jobs.items():
            r = fut.result()
            if r["ok"] and r["protocol"] == proto:
                res[proto].append(iana)
        return {p: sorted(v) for p, v in res.items()}

    def check_suites(self):
        jobs = [(d, e) for d, e in endpoints(self.m)]
        only = os.environ.get("TESTBED_CHECK_ONLY")
        if only:
            jobs = [j for j in jobs if j[0]["domain"] in only.split(",")]
        measured = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
            for d, e in jobs:
                for mode, port in (("c2s", d["ports"]["c2s_starttls"]),):  # all four ports share one TLS config
                    got = self.measure_suites(e["address"], port, d["domain"], mode, pool)
                    measured.setdefault(d["domain"], got)
                    want = d["expect"].get("cipher_suites")
                    for proto in self.FLAGS:
                        w = sorted((want or {}).get(proto, []))
                        self.expect(got[proto] == w, f"{d['domain']} @ {e['address']}:{port} ({mode}) {proto} suites: "
                                                     f"extra {sorted(set(got[proto]) - set(w))}, "
                                                     f"missing {sorted(set(w) - set(got[proto]))}")
        return measured

    def run(self):
        self.check_dns()
        self.check_listeners()
        jobs = [(d, e, a) for d, e in endpoints(self.m) for a in e["addresses"]]
        only = os.environ.get("TESTBED_CHECK_ONLY")
        if only:
            jobs = [j for j in jobs if j[0]["domain"] in only.split(",")]
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
            list(ex.map(lambda j: self.check_endpoint(*j), jobs))
        for e in self.errors:
            print(f"MISMATCH: {e}", file=sys.stderr)
        print(f"check: {self.ok} facts verified, {len(self.errors)} mismatches, {len(jobs)} endpoints")
        return 1 if self.errors else 0


def cmd_check_suites(write_manifest=False):
    path = os.path.join(TBDIR, "servers.json")
    with open(path) as f:
        m = json.load(f)
    if cmd_healthy() != 0:
        die("testbed is not up and healthy (run deploy/testbed/up.sh)")
    c = Checker(m)
    measured = c.measure_all = c.check_suites()
    if write_manifest:  # maintainer tool: record the measured suites in the committed manifest
        with open(MANIFEST) as f:
            src = json.load(f)
        for d in src["domains"]:
            if d["domain"] in measured:
                d["expect"]["cipher_suites"] = measured[d["domain"]]
        with open(MANIFEST, "w") as f:
            json.dump(src, f, indent=2)
            f.write("\n")
        log(f"wrote measured cipher suites of {len(measured)} domains into {MANIFEST}")
        return 0
    for e in c.errors:
        print(f"MISMATCH: {e}", file=sys.stderr)
    print(f"check --suites: {c.ok} suite lists verified, {len(c.errors)} mismatches")
    return 1 if c.errors else 0


def cmd_check():
    path = os.path.join(TBDIR, "servers.json")
    if not os.path.exists(path):
        die(f"{path} missing: is the testbed up? (run deploy/testbed/up.sh)")
    with open(path) as f:
        m = json.load(f)
    if cmd_healthy() != 0:
        die("testbed is not up and healthy, or was started from another servers.json "
            "(run deploy/testbed/up.sh)")
    return Checker(m).run()


def main():
    if len(sys.argv) < 2:
        die("usage: testbed.py render|start|healthy|stop|check")
    cmd = sys.argv[1]
    if cmd == "render":
        cmd_render()
    elif cmd == "start":
        cmd_start()
    elif cmd == "healthy":
        sys.exit(cmd_healthy())
    elif cmd == "stop":
        sys.exit(cmd_stop())
    elif cmd == "check":
        rc = cmd_check()
        if "--suites" in sys.argv[2:] and rc == 0:
            rc = cmd_check_suites()
        sys.exit(rc)
    elif cmd == "measure-suites":
        sys.exit(cmd_check_suites(write_manifest=True))
    else:
        die(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
