import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkBeforeStart, pingRedis, portIsFree, StartupCheckError } from './startup-checks.js';

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

  it('refuses a broker that does not answer, after the store answered', async () => {
    const order: string[] = [];
    const check = checkBeforeStart({
      host: '127.0.0.1',
      port: 0,
      pingStore: async () => {
        order.push('store');
        return true;
      },
      pingBroker: async () => {
        order.push('broker');
        return false;
      },
    });
    await expect(check).rejects.toMatchObject({ code: 'BROKER_UNREACHABLE' });
    await expect(check).rejects.toThrow(/REDIS_URL/);
    expect(order).toEqual(['store', 'broker']);
  });
});

describe('pingRedis', () => {
  it('is false for a port where no Redis listens, without hanging', async () => {
    const { port, close } = await listenOnFreePort();
    await close();
    expect(await pingRedis(`redis://127.0.0.1:${port}`, 2_000)).toBe(false);
  });

  it.runIf(process.env.REDIS_URL)('is true for the Redis of REDIS_URL', async () => {
    expect(await pingRedis(process.env.REDIS_URL!)).toBe(true);
  });
});
