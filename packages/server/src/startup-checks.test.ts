import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkBeforeStart, portIsFree, StartupCheckError } from './startup-checks.js';

function listenOnFreePort(): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ port, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

describe('checkBeforeStart', () => {
  it('refuses a port another process holds, with EADDRINUSE, before it pings the store', async () => {
    const taken = await listenOnFreePort();
    let pinged = false;
    try {
      expect(await portIsFree('127.0.0.1', taken.port)).toBe(false);
      const check = checkBeforeStart({
        host: '127.0.0.1',
        port: taken.port,
        pingStore: async () => {
          pinged = true;
          return true;
        },
      });
      await expect(check).rejects.toBeInstanceOf(StartupCheckError);
      await expect(check).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(pinged).toBe(false);
    } finally {
      await taken.close();
    }
  });

  it('passes on a free port and leaves it free', async () => {
    const { port, close } = await listenOnFreePort();
    await close();
    await checkBeforeStart({ host: '127.0.0.1', port, pingStore: async () => true });
    expect(await portIsFree('127.0.0.1', port)).toBe(true);
  });

  it('refuses a store that does not answer', async () => {
    await expect(
      checkBeforeStart({ host: '127.0.0.1', port: 0, pingStore: async () => false }),
    ).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE' });
  });
});
