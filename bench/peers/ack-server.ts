/**
 * A stand-in av-gym server for client-side measurements: speaks the hello/welcome handshake and
 * acks every batch or single message as accepted at once, storing nothing. Reports
 * `{type:'listening', port}` to the orchestrator.
 */
import { WebSocketServer } from 'ws';
import { fail, toParent } from '../lib/parent.js';

interface Item {
  id: string;
}

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as {
      type: string;
      seq?: number;
      id?: string;
      ts?: number;
      batches?: Record<string, Item[]>;
    };
    if (frame.type === 'hello') {
      const limits = { maxFrameBytes: 1 << 20, maxBatchSize: 500, maxInFlight: 16 };
      socket.send(
        JSON.stringify({
          type: 'welcome',
          sessionId: 's',
          serverTime: Date.now(),
          eventSeq: 0,
          resumed: false,
          limits,
        }),
      );
    } else if (frame.type === 'batch') {
      const results: Record<string, { accepted: string[] }> = {};
      for (const [type, items] of Object.entries(frame.batches ?? {})) {
        results[type] = { accepted: items.map((i) => i.id) };
      }
      socket.send(JSON.stringify({ type: 'ack', seq: frame.seq, results }));
    } else if (frame.type === 'ping') {
      socket.send(JSON.stringify({ type: 'pong', ts: frame.ts, serverTime: Date.now() }));
    } else if (typeof frame.id === 'string') {
      socket.send(JSON.stringify({ type: 'ack', id: frame.id, ok: true }));
    }
  });
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
