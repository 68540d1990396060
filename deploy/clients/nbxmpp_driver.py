#!/usr/bin/env python3
"""One login with nbxmpp (python3-nbxmpp, the library of Gajim) as $XMPP_JID / $XMPP_PASSWORD; argument: default | strict.

default: nbxmpp.client.Client with domain, username and password only (connection types DIRECT TLS and START TLS,
         protocols TCP and WebSocket, mechanisms SCRAM-SHA-512/256/1 and PLAIN: the library's defaults).
strict:  set_connection_types([DIRECT_TLS, START_TLS]), set_protocols([TCP]), set_mechs without PLAIN.
"""
import os, sys
from gi.repository import GLib
from nbxmpp.client import Client
from nbxmpp.const import ConnectionProtocol, ConnectionType

mode = sys.argv[1]
user, domain = os.environ['XMPP_JID'].split('@', 1)
loop = GLib.MainLoop()
client = Client()
client.set_domain(domain)
client.set_username(user)
client.set_password(os.environ['XMPP_PASSWORD'])
client.set_resource('harness')
if mode == 'strict':
    client.set_connection_types([ConnectionType.DIRECT_TLS, ConnectionType.START_TLS])
    client.set_protocols([ConnectionProtocol.TCP])
    client.set_mechs({'SCRAM-SHA-512', 'SCRAM-SHA-256', 'SCRAM-SHA-1'})


def finish(code, what):
    print('nbxmpp:', what, flush=True)
    os._exit(code)


client.subscribe('connected', lambda *a: finish(0, 'connected'))
client.subscribe('connection-failed', lambda *a: finish(1, 'connection-failed ' + str(client.get_error())[:300]))
client.subscribe('disconnected', lambda *a: finish(1, 'disconnected ' + str(client.get_error())[:300]))
client.connect()
loop.run()
