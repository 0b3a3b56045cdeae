/** Ceiling: a bare `ws` echo server (every frame sent straight back). Reports `{type:'listening', port}`. */
import { WebSocketServer } from 'ws';
import { fail, toParent } from '../lib/parent.js';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
wss.on('listening', () => {
  const address = wss.address();
  toParent({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
wss.on('error', fail);
process.on('SIGTERM', () => {
  // Closing thousands of sockets politely can take seconds: the bench only needs the process gone.
  setTimeout(() => process.exit(0), 300).unref();
  for (const c of wss.clients) c.terminate();
  wss.close(() => process.exit(0));
});
