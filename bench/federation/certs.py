#!/usr/bin/env python3
"""One certificate per domain for the simulated federation (up.sh --certs per-domain), as a real federation has them:
every domain shows its own leaf, signed by the federation's CA, with the domain as its one DNS name (RFC 6125, the
XMPP service identity a scanner checks). All leaves share one key (up.sh's leaf.key): a scanner pays for each distinct
certificate it meets (parsing, chain, identity), not for a distinct key, and one key keeps generation to seconds.

    certs.py plan.json CA.pem CA.key LEAF.key DIR      writes DIR/DOMAIN.pem for every domain of the plan

server.py --certs DIR then answers each TLS handshake with the certificate of the domain its SNI names.
"""
import datetime
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID


def main():
    if len(sys.argv) != 6:
        print("usage: certs.py plan.json CA.pem CA.key LEAF.key DIR", file=sys.stderr)
        return 2
    plan_file, ca_pem, ca_key, leaf_key, out = sys.argv[1:]
    plan = json.load(open(plan_file))
    ca = x509.load_pem_x509_certificate(open(ca_pem, "rb").read())
    signer = serialization.load_pem_private_key(open(ca_key, "rb").read(), password=None)
    public = serialization.load_pem_private_key(open(leaf_key, "rb").read(), password=None).public_key()
    now = datetime.datetime.now(datetime.timezone.utc)
    os.makedirs(out, exist_ok=True)
    for server in plan["servers"]:
        for domain in server["domains"]:
            cert = (x509.CertificateBuilder()
                    .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)]))
                    .issuer_name(ca.subject)
                    .public_key(public)
                    .serial_number(x509.random_serial_number())
                    .not_valid_before(now - datetime.timedelta(days=1))
                    .not_valid_after(now + datetime.timedelta(days=30))
                    .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
                    .sign(signer, hashes.SHA256()))
            with open(os.path.join(out, domain + ".pem"), "wb") as f:
                f.write(cert.public_bytes(serialization.Encoding.PEM))
    return 0


if __name__ == "__main__":
    sys.exit(main())
