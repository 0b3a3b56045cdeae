import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import type { Credential } from '../src/http/credential.js';
import { type GatewayHarness, startGateway } from './gateway-harness.js';
import { TestClient, until } from './helpers.js';

const api = (id: string): Credential => ({ id, kind: 'api' });

describe('Gateway.closeCredential', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGateway({ 'token-a': api('cred-a'), 'token-b': api('cred-b'), 'token-c': api('cred-c') });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('closes every socket of the named credentials with 4401 and leaves the others open', async () => {
    const a1 = new TestClient(h.wsUrl);
    const a2 = new TestClient(h.wsUrl);
    const b = new TestClient(h.wsUrl);
    const c = new TestClient(h.wsUrl);
    await a1.hello({ token: 'token-a', clientId: 'a1' });
    await a2.hello({ token: 'token-a', clientId: 'a2' });
    await b.hello({ token: 'token-b', clientId: 'b' });
    await c.hello({ token: 'token-c', clientId: 'c' });
    expect(h.gateway.credentialCount).toBe(3);

    expect(h.gateway.closeCredential(['cred-a', 'cred-b', 'cred-unknown'], 'logged out')).toBe(3);
    for (const s of [a1, a2, b]) expect(await s.closed).toEqual({ code: 4401, reason: 'logged out' });
    c.send({ type: 'ping', ts: 7 });
    expect((await c.next((f) => f.type === 'pong')).ts).toBe(7);
    expect(h.gateway.closeCredential(['cred-a'], 'again')).toBe(0);
    await c.close();
    await until(() => h.gateway.credentialCount === 0);
  });
});

describe('credential expiry', () => {
  let h: GatewayHarness;
  /** Read at each hello, so a test sets its expiry just before it logs in. */
  const credentials: Record<string, Credential> = {};
  const session = (token: string, expiresInMs: number) => {
    const expiresAt = Date.now() + expiresInMs;
    credentials[token] = { id: `cred-${token}`, kind: 'session', username: 'admin', expiresAt };
    return expiresAt;
  };
  const clock = trackingClock();
  beforeAll(async () => {
    h = await startGateway(credentials, {}, clock);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('closes an open session with 4401 when its credential expires', async () => {
    const soon = session('token-soon', 400);
    const s = new TestClient(h.wsUrl);
    await s.hello({ token: 'token-soon', clientId: 'soon' });
    const closed = await s.closed;
    expect(closed).toEqual({ code: 4401, reason: 'session expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(soon - 50);
  });

  it('refuses a credential that has already expired', async () => {
    session('token-past', -1);
    const s = new TestClient(h.wsUrl);
    await s.opened;
    s.send({ type: 'hello', token: 'token-past', clientId: 'past' });
    expect((await s.closed).code).toBe(4401);
  });

  it('clears the expiry timer of a session that closed first', async () => {
    session('token-later', 60_000);
    const s = new TestClient(h.wsUrl);
    await s.hello({ token: 'token-later', clientId: 'later' });
    expect(clock.pending()).toBeGreaterThan(0);
    s.ws.close(1000, 'done');
    await s.closed;
    await until(() => h.metrics.closesByCode.get(1000) === 1);
    expect(clock.pending()).toBe(0);
  });
});

/** The system clock, counting the timers still pending (set, neither fired nor cleared). */
function trackingClock(): Clock & { pending(): number } {
  const live = new Set<unknown>();
  return {
    now: () => Date.now(),
    setTimeout(fn, delayMs) {
      const handle: ReturnType<typeof setTimeout> = setTimeout(() => {
        live.delete(handle);
        fn();
      }, delayMs);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
    pending: () => live.size,
  };
}
