/**
 * Peer baseline `raw-ws`: a plain `ws` server, one JSON message per frame, one SQLite transaction
 * per message, one frame per event per subscribed client. Run as a bench child: it reports
 * `{type:'listening', port}` to the orchestrator. Env: DATA_DIR, MEMBERS.
 */
import { join } from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { fail, toParent } from '../lib/parent.js';
import { PeerGym } from './peer-gym.js';

const gym = new PeerGym(join(process.env.DATA_DIR ?? '.', 'raw-ws.db'), Number(process.env.MEMBERS ?? 500));
const dashboards = new Set<WebSocket>();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });

wss.on('connection', (socket) => {
  socket.on('message', (raw) => {
    let frame: { type?: unknown; id?: unknown; data?: unknown; topics?: unknown };
    try {
      frame = JSON.parse(raw.toString());
    } catch {
      socket.send('{"type":"error","code":"BAD_FRAME","message":"not JSON"}');
      return;
    }
    if (frame.type === 'hello') {
      if (Array.isArray(frame.topics) && frame.topics.length > 0) dashboards.add(socket);
      socket.send(JSON.stringify({ type: 'welcome', sessionId: 'raw', serverTime: Date.now() }));
      return;
    }
    if (frame.type === 'ping') {
      socket.send(
        JSON.stringify({ type: 'pong', ts: (frame as { ts?: number }).ts, serverTime: Date.now() }),
      );
      return;
    }
    const id = String(frame.id);
    const { outcome, event } = gym.handle(String(frame.type), id, frame.data);
    socket.send(JSON.stringify({ type: 'ack', id, ...outcome }));
    if (event) {
      const text = JSON.stringify(event);
      for (const d of dashboards) d.send(text);
    }
  });
  socket.on('close', () => dashboards.delete(socket));
  socket.on('error', () => dashboards.delete(socket));
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
  wss.close(() => {
    gym.close();
    process.exit(0);
  });
});
