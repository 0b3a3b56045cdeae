/**
 * Heap check of the client (not a timed test): 100,000 messages through a MessageBatcher alone,
 * then through a WebSocketService against an in-process ack-only server, printing the heap
 * after a full GC before and after each run. A client that leaks per message (handlers,
 * outbox entries, timers, frame bookkeeping) grows by megabytes here; a sound one returns to
 * its baseline.
 *
 *   node --expose-gc --conditions=av-gym-source --import tsx bench/client-heap.ts [messages]
 */
import type { AddressInfo } from 'node:net';
import { MessageBatcher, type SendOutcome, WebSocketService } from '@av-gym/client';
import { WebSocket, WebSocketServer } from 'ws';

const MESSAGES = Number(process.argv[2] ?? 100_000);
const LANES = 150; // below the 200-message queue limit, so no send meets BACKPRESSURE
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('client-heap: run with node --expose-gc');
  process.exit(1);
}

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

type Mix = { type: string; data: Record<string, unknown> };
function mix(i: number): Mix {
  const memberId = `m_${i % 500}`;
  const k = i % 10;
  if (k < 4) return { type: 'check_in', data: { memberId, deskId: 'desk-heap' } };
  if (k < 8) return { type: 'check_out', data: { memberId, deskId: 'desk-heap' } };
  if (k < 9) return { type: 'member_update', data: { memberId, changes: { notes: `note ${i}` } } };
  return { type: 'client_stats', data: { state: 'open' } };
}

/** Accepts every message at once, keeping nothing (so its own heap stays flat). */
async function ackOnlyServer(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => {
    ws.on('message', (raw) => {
      const f = JSON.parse(String(raw)) as Record<string, unknown>;
      if (f.type === 'hello') {
        ws.send(
          JSON.stringify({
            type: 'welcome',
            sessionId: 's',
            serverTime: Date.now(),
            eventSeq: 0,
            resumed: false,
            limits: { maxFrameBytes: 1 << 20, maxBatchSize: 500, maxInFlight: 16 },
          }),
        );
      } else if (f.type === 'ping')
        ws.send(JSON.stringify({ type: 'pong', ts: f.ts, serverTime: Date.now() }));
      else if (f.type === 'batch') {
        const results: Record<string, { accepted: string[] }> = {};
        for (const [type, items] of Object.entries(f.batches as Record<string, { id: string }[]>)) {
          results[type] = { accepted: items.map((x) => x.id) };
        }
        ws.send(JSON.stringify({ type: 'ack', seq: f.seq, results }));
      } else if (typeof f.id === 'string') ws.send(JSON.stringify({ type: 'ack', id: f.id, ok: true }));
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

async function batcherRun(): Promise<void> {
  let frames = 0;
  const batcher = new MessageBatcher({ writable: () => 'open', write: () => frames++ });
  const before = heapMb();
  for (let i = 0; i < MESSAGES; i++) {
    const m = mix(i);
    batcher.enqueue({ id: `id${i}`, type: m.type, data: m.data });
    if (i % 100 === 99) await Promise.resolve(); // let the microtask flush run
  }
  await new Promise((r) => setTimeout(r, 200));
  const after = heapMb();
  const s = batcher.stats();
  batcher.dispose();
  report('MessageBatcher', before, after, { frames, queueDepth: s.queueDepth, avgBatchSize: s.avgBatchSize });
}

async function serviceRun(): Promise<void> {
  const server = await ackOnlyServer();
  const svc = new WebSocketService({ url: server.url, clientId: 'desk-heap', WebSocket, network: null });
  await svc.connect();
  let next = 0;
  let failed = 0;
  const lane = async (count: number) => {
    while (next < count) {
      const m = mix(next++);
      const out: SendOutcome = await svc.send(m.type, m.data);
      if (!out.ok) failed++;
    }
  };
  await Promise.all(Array.from({ length: LANES }, () => lane(5_000))); // warm-up
  const before = heapMb();
  const start = performance.now();
  next = 0;
  await Promise.all(Array.from({ length: LANES }, () => lane(MESSAGES)));
  const elapsedMs = performance.now() - start;
  const after = heapMb();
  const m = svc.getMetrics();
  report('WebSocketService', before, after, {
    failed,
    pending: m.messages.pending,
    batches: m.batching.batchesSent,
    avgBatchSize: Number(m.batching.avgBatchSize.toFixed(1)),
    coalesced: m.batching.coalescedByPriority.medium,
    savedRatio: Number(m.batching.savedRatio.toFixed(3)),
    handlers: m.handlers.count,
    elapsedMs: Math.round(elapsedMs),
  });
  await svc.close();
  await server.close();
}

function report(what: string, before: number, after: number, extra: Record<string, unknown>): void {
  console.log(
    `${what}: ${MESSAGES} messages, heap ${before.toFixed(2)} MB -> ${after.toFixed(2)} MB ` +
      `(${(after - before >= 0 ? '+' : '') + (after - before).toFixed(2)} MB) ${JSON.stringify(extra)}`,
  );
}

await batcherRun();
await serviceRun();
