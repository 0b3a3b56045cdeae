import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that counts the bytes each way: what clients actually put on the wire
 * (WebSocket framing, masks, handshakes and all), whatever library they use.
 */
export class ByteCountingProxy {
  upBytes = 0;
  downBytes = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static open(targetPort: number): Promise<ByteCountingProxy> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true });
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const proxy = new ByteCountingProxy(
          server,
          typeof address === 'object' && address ? address.port : 0,
        );
        server.on('connection', (client) => proxy.pipe(client, targetPort));
        resolve(proxy);
      });
    });
  }

  /** Counters now, to subtract a window's start from its end. */
  snapshot(): { upBytes: number; downBytes: number } {
    return { upBytes: this.upBytes, downBytes: this.downBytes };
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }

  private pipe(client: Socket, targetPort: number): void {
    const upstream = connect({ host: '127.0.0.1', port: targetPort, noDelay: true });
    this.sockets.add(client).add(upstream);
    client.on('data', (b) => {
      this.upBytes += b.length;
    });
    upstream.on('data', (b) => {
      this.downBytes += b.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}
