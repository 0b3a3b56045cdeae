import WebSocket from 'ws';
import type { ServerProcess } from './server-process.js';

/** An ack as the set-up reads it: each type's accepted ids. */
export interface SetupAck {
  type: string;
  results?: Record<string, { accepted: string[] }>;
}

/**
 * Sends one batch over a WebSocket of its own (`hello` with `token`, then the batch) and resolves
 * with its ack: a test's set-up, not the desk under test.
 */
export async function sendBatch(
  server: ServerProcess,
  token: string,
  batches: Record<string, unknown[]>,
  clientId: string,
): Promise<SetupAck> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws`);
  const frames: SetupAck[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const until = async (type: string) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const frame = frames.find((f) => f.type === type);
      if (frame) return frame;
      if (Date.now() > deadline) throw new Error(`no ${type} from the server`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    ws.send(JSON.stringify({ type: 'hello', token, clientId }));
    await until('welcome');
    ws.send(JSON.stringify({ type: 'batch', seq: 1, batches }));
    return await until('ack');
  } finally {
    ws.close();
  }
}
