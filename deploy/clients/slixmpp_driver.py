#!/usr/bin/env python3
"""One login with slixmpp (python3-slixmpp) as $XMPP_JID / $XMPP_PASSWORD; argument: default | strict.

default: ClientXMPP(jid, password) and connect() with the library's defaults (DNS SRV, force_starttls=True).
strict:  the strictest documented settings: no SASL mechanism on an unencrypted stream (feature_mechanisms
         unencrypted_* = False), SCRAM-SHA-1 only (use_mech), TLS 1.2 at least.
The harness judges from the wire; what this prints is only for a human reading the transcript.
"""
import logging, os, ssl, sys
from slixmpp import ClientXMPP

logging.basicConfig(level=logging.WARNING, format='%(levelname)s %(name)s: %(message)s')
mode = sys.argv[1]
xmpp = ClientXMPP(os.environ['XMPP_JID'], os.environ['XMPP_PASSWORD'])
if mode == 'strict':
    mechanisms = xmpp['feature_mechanisms']  # loaded by ClientXMPP; its config keys are attributes
    mechanisms.use_mech = 'SCRAM-SHA-1'
    mechanisms.unencrypted_plain = mechanisms.unencrypted_scram = False
    mechanisms.unencrypted_digest = mechanisms.unencrypted_cram = False
    xmpp.ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2

def finish(code, what):
    print('slixmpp:', what, flush=True)
    os._exit(code)


async def started(_):
    xmpp.send_presence()
    finish(0, 'session started')

xmpp.add_event_handler('session_start', started)
for event in ('failed_all_auth', 'connection_failed', 'disconnected', 'ssl_invalid_chain', 'ssl_invalid_cert', 'stream_error'):
    xmpp.add_event_handler(event, lambda e, name=event: finish(1, name + ' ' + str(e)[:300]))
xmpp.connect()
xmpp.process(forever=False)
finish(1, 'stopped')
