import WebSocket from 'ws';

export interface EchoSpec {
  port: number;
  connections: number;
  /** Frames each connection keeps in flight. */
  window: number;
  payloadBytes: number;
  warmupMs: number;
  durationMs: number;
}

/** Ceiling: frames/s a bare `ws` echo server returns to pipelined clients (counted on return). */
export async function runEcho(spec: EchoSpec): Promise<{ frames: number; elapsedMs: number }> {
  const payload = JSON.stringify({ type: 'ping', pad: 'x'.repeat(Math.max(0, spec.payloadBytes - 24)) });
  const sockets = await Promise.all(
    Array.from(
      { length: spec.connections },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const s = new WebSocket(`ws://127.0.0.1:${spec.port}/`, { perMessageDeflate: false });
          s.once('open', () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  const start = performance.now();
  const measureFrom = start + spec.warmupMs;
  const stopAt = measureFrom + spec.durationMs;
  let frames = 0;
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          let inFlight = 0;
          s.on('message', () => {
            inFlight--;
            const now = performance.now();
            if (now >= measureFrom && now <= stopAt) frames++;
            if (now < stopAt) {
              inFlight++;
              s.send(payload);
            } else if (inFlight === 0) resolve();
          });
          for (let i = 0; i < spec.window; i++) {
            inFlight++;
            s.send(payload);
          }
          setTimeout(resolve, spec.warmupMs + spec.durationMs + 5_000);
        }),
    ),
  );
  for (const s of sockets) s.terminate();
  return { frames, elapsedMs: spec.durationMs };
}
