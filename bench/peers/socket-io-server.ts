/**
 * Peer baseline `socket.io`: one emit with ack per message, one SQLite transaction per message,
 * events emitted to a room of dashboards. Run as a bench child: it reports `{type:'listening', port}`.
 * Env: DATA_DIR, MEMBERS; PEER_DATABASE_URL writes to that PostgreSQL database instead (pg-gym.ts:
 * one statement per message on a pool).
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { fail, toParent } from '../lib/parent.js';
import { PeerGym, type Result } from './peer-gym.js';
import { PgPeerGym, preparePgGym } from './pg-gym.js';

interface WireMessage {
  type: string;
  id: string;
  data: unknown;
}

const members = Number(process.env.MEMBERS ?? 500);
const pgUrl = process.env.PEER_DATABASE_URL;
if (pgUrl) await preparePgGym(pgUrl, members);
const gym: { handle(type: string, id: string, data: unknown): Result | Promise<Result>; close(): unknown } =
  pgUrl ? new PgPeerGym(pgUrl) : new PeerGym(join(process.env.DATA_DIR ?? '.', 'socket-io.db'), members);
const http = createServer();
// STATE_RECOVERY=1 (the storm scenario): socket.io's connection state recovery, which keeps each
// session's missed packets in this process's memory for two minutes.
const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  ...(process.env.STATE_RECOVERY === '1'
    ? { connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: true } }
    : {}),
});

io.on('connection', (socket) => {
  if ((socket.handshake.auth as { role?: string }).role === 'dashboard') void socket.join('dashboards');
  socket.on('msg', (m: WireMessage, ack?: (outcome: unknown) => void) => {
    const answer = ({ outcome, event }: Result) => {
      ack?.({ id: m.id, ...outcome });
      if (event) io.to('dashboards').emit('event', event);
    };
    const result = gym.handle(m.type, m.id, m.data);
    if (result instanceof Promise) void result.then(answer);
    else answer(result);
  });
});

http.on('error', fail);
http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = http.address();
  toParent({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('SIGTERM', () => {
  // Closing thousands of sockets politely can take seconds: the bench only needs the process gone.
  setTimeout(() => process.exit(0), 300).unref();
  io.disconnectSockets(true);
  io.close(() => {
    void Promise.resolve(gym.close()).finally(() => process.exit(0));
  });
});
