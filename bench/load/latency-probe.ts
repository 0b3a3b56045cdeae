import { type BatchTransport, MessageBatcher } from '@av-gym/client';
import WebSocket from 'ws';
import { GymMix, membersOfDesk } from '../lib/gym-mix.js';
import { Histogram, type HistogramJson } from '../lib/histogram.js';

export interface LatencyJob {
  type: 'latency';
  port: number;
  token: string;
  desks: number;
  /** Gym-mix messages per second per desk (the load the high-priority ones travel through). */
  ratePerDesk: number;
  warmupMs: number;
  durationMs: number;
  memberIds: string[];
}

export interface LatencyResult {
  added: HistogramJson;
  messages: number;
  frames: number;
  elapsedMs: number;
}

const TICK_MS = 5;
const MAX_IN_FLIGHT = 16;

/** One desk: a real MessageBatcher writing to a real socket, honouring the server's in-flight limit. */
function openDesk(job: LatencyJob, index: number, onWrite: (frameMessages: number, added: number[]) => void) {
  return new Promise<{ batcher: MessageBatcher; socket: WebSocket }>((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${job.port}/ws`, { perMessageDeflate: false });
    let inFlight = 0;
    const transport: BatchTransport = {
      writable: () =>
        socket.readyState !== WebSocket.OPEN
          ? 'closed'
          : inFlight >= MAX_IN_FLIGHT || socket.bufferedAmount > 1 << 20
            ? 'busy'
            : 'open',
      write: (frame) => {
        inFlight++;
        socket.send(frame.text);
        const now = performance.now();
        const added = frame.messages.filter((m) => m.priority === 'high').map((m) => now - m.enqueuedAtMs);
        onWrite(frame.messages.length, added);
      },
    };
    const batcher = new MessageBatcher(transport);
    socket.once('error', reject);
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'hello', token: job.token, clientId: `probe-${index}` })),
    );
    socket.on('message', (raw: Buffer) => {
      const text = raw.toString('latin1', 0, 40);
      if (text.includes('"welcome"')) resolve({ batcher, socket });
      else if (text.includes('"ack"')) {
        inFlight = Math.max(0, inFlight - 1);
        batcher.notifyWritable();
      }
    });
  });
}

/**
 * Scenario 4: the delay the batcher adds to high-priority messages (enqueue to socket write) while
 * each desk also sends the rest of the gym mix at `ratePerDesk`.
 */
export async function runLatencyProbe(job: LatencyJob): Promise<LatencyResult> {
  const added = new Histogram();
  let measuring = false;
  let messages = 0;
  let frames = 0;
  const onWrite = (n: number, delays: number[]) => {
    if (!measuring) return;
    frames++;
    messages += n;
    for (const d of delays) added.record(d);
  };
  const desks = await Promise.all(Array.from({ length: job.desks }, (_, i) => openDesk(job, i, onWrite)));
  const mixes = desks.map((_, d) => new GymMix(`probe-${d}`, membersOfDesk(job.memberIds, job.desks, d)));
  const perTick = (job.ratePerDesk * TICK_MS) / 1000;
  const credit = desks.map(() => 0);
  const ticker = setInterval(() => {
    desks.forEach(({ batcher }, d) => {
      credit[d]! += perTick;
      for (; credit[d]! >= 1; credit[d]!--) {
        const m = mixes[d]!.next();
        batcher.enqueue(m);
      }
    });
  }, TICK_MS);
  await new Promise((r) => setTimeout(r, job.warmupMs));
  measuring = true;
  await new Promise((r) => setTimeout(r, job.durationMs));
  measuring = false;
  clearInterval(ticker);
  for (const { batcher, socket } of desks) {
    batcher.dispose();
    socket.terminate();
  }
  return { added: added.toJSON(), messages, frames, elapsedMs: job.durationMs };
}
