// One TLS handshake with Node's tls.connect defaults (xmpp.js / @xmpp/client), verification off.
// Usage: node hello_client.js HOST PORT SNI  ->  prints "TLSv1.3 TLS_AES_256_GCM_SHA384" or exits 1. Loopback only.
'use strict';
const tls = require('tls');
const [host, port, servername] = process.argv.slice(2);
const socket = tls.connect({ host, port: Number(port), servername, rejectUnauthorized: false, timeout: 10000 }, () => {
  console.log(`${socket.getProtocol()} ${socket.getCipher().standardName}`);
  socket.end();
});
socket.on('error', (e) => { console.log(`FAILED ${e.message}`); process.exit(1); });
socket.on('timeout', () => { console.log('FAILED timeout'); process.exit(1); });
