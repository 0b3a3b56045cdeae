import net from 'node:net';

/** Most backends one incoming connection tries before it is dropped. */
const MAX_TRIES = 6;

/**
 * A small TCP load balancer for tests, as a deployment puts in front of the nodes: each new
 * connection goes to the next backend in turn among those whose `GET /readyz` answered 200 at the
 * last poll (every `pollMs`); a backend that refuses the connection is skipped for the next one.
 * Bytes are piped both ways untouched (WebSocket upgrades included); when either side closes,
 * so does the other.
 */
export class RoundRobinBalancer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly ready = new Map<number, boolean>();
  private next = 0;
  private poller: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  port = 0;
  /** Connections handed to a backend, per backend port. */
  readonly routed = new Map<number, number>();

  constructor(
    private readonly backends: readonly number[],
    private readonly pollMs = 100,
  ) {
    for (const p of backends) this.ready.set(p, false);
    this.server = net.createServer((client) => this.route(client));
  }

  async listen(): Promise<number> {
    await this.poll();
    this.poller = setInterval(() => void this.poll(), this.pollMs);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** Whether the last poll found `port` ready. */
  isReady(port: number): boolean {
    return this.ready.get(port) === true;
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await Promise.all(
        this.backends.map(async (port) => {
          const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1_000) })
            .then((r) => r.status === 200)
            .catch(() => false);
          this.ready.set(port, ok);
        }),
      );
    } finally {
      this.polling = false;
    }
  }

  /** The order to try backends in for one connection: the ready ones in turn, then the rest. */
  private candidates(): number[] {
    const start = this.next++;
    const turn = this.backends.map((_, i) => this.backends[(start + i) % this.backends.length] as number);
    return [...turn.filter((p) => this.isReady(p)), ...turn.filter((p) => !this.isReady(p))];
  }

  private route(client: net.Socket): void {
    client.on('error', () => {});
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    client.pause();
    const order = this.candidates().slice(0, MAX_TRIES);
    const attempt = (i: number): void => {
      const port = order[i];
      if (port === undefined || client.destroyed) {
        client.destroy();
        return;
      }
      const upstream = net.connect(port, '127.0.0.1');
      let connected = false;
      upstream.once('error', () => {
        if (!connected) attempt(i + 1);
      });
      upstream.once('connect', () => {
        connected = true;
        this.routed.set(port, (this.routed.get(port) ?? 0) + 1);
        this.sockets.add(upstream);
        upstream.on('error', () => {});
        upstream.once('close', () => {
          this.sockets.delete(upstream);
          client.destroy();
        });
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
    };
    attempt(0);
  }
}
