#!/usr/bin/env python3
"""One login with aioxmpp (python3-aioxmpp) as $XMPP_JID / $XMPP_PASSWORD; argument: default | strict.

default: aioxmpp.Client(jid, make_security_layer(password)) — the documented way; TLS required, certificates verified.
strict:  the same with an ssl_context_factory whose minimum protocol is TLS 1.2.
"""
import asyncio, os, sys
import aioxmpp
import aioxmpp.security_layer as security_layer
import OpenSSL.SSL

mode = sys.argv[1]


def strict_context():
    context = security_layer.default_ssl_context()
    context.set_min_proto_version(OpenSSL.SSL.TLS1_2_VERSION)
    return context


async def main():
    options = {'ssl_context_factory': strict_context} if mode == 'strict' else {}
    client = aioxmpp.Client(aioxmpp.JID.fromstr(os.environ['XMPP_JID']),
                            aioxmpp.make_security_layer(os.environ['XMPP_PASSWORD'], **options))
    async with client.connected():
        print('aioxmpp: connected', flush=True)

try:
    asyncio.run(asyncio.wait_for(main(), 15))
except BaseException as e:  # the harness judges from the wire; this is for the human only
    print('aioxmpp:', type(e).__name__, str(e)[:300], flush=True)
    sys.exit(1)
