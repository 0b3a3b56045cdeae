import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, TEST_NOW, type TempStore } from '../../test/support/temp-sqlite-store.js';
import { GatedWriteStore } from '../store/gated-write-store.js';
import { Authenticator, credentialId } from './authenticator.js';
import { REVOCATION_REASONS } from './revocations.js';

const API_A = 'api-token-a-0123456789';
const API_B = 'api-token-b-0123456789';
const PASSWORD = 'correct horse battery';
const TTL_MS = 60_000;

describe('Authenticator', () => {
  let t: TempStore;
  let now = TEST_NOW;
  let auth: Authenticator;
  let revoked: [readonly string[], string][];
  beforeEach(async () => {
    t = await openTempStore();
    now = TEST_NOW;
    auth = new Authenticator({
      store: t.store,
      apiTokens: [API_A, API_B],
      sessionTtlMs: TTL_MS,
      now: () => now,
    });
    await auth.ensureAdmin(PASSWORD);
    revoked = [];
    auth.onRevoked((ids, reason) => revoked.push([ids, reason]));
  });
  afterEach(() => t.cleanup());

  describe('verify', () => {
    it('names an API token by its SHA-256, with no username or expiry', async () => {
      expect(await auth.verify(API_A)).toEqual({ id: credentialId(API_A), kind: 'api' });
      expect(await auth.check(API_B)).toBe(true);
    });

    it('names a session by the hash the store keeps, until it expires', async () => {
      const session = await auth.login('admin', PASSWORD);
      if (!session) throw new Error('login failed');
      expect(await auth.verify(session.token)).toEqual({
        id: credentialId(session.token),
        kind: 'session',
        username: 'admin',
        role: 'admin',
        expiresAt: TEST_NOW + TTL_MS,
      });
      expect(await t.store.getSession(credentialId(session.token))).toBeDefined();
      expect(await t.store.getSession(session.token)).toBeUndefined();
      now = TEST_NOW + TTL_MS;
      expect(await auth.verify(session.token)).toBeUndefined();
    });

    it('knows no unknown, empty or missing token', async () => {
      for (const token of ['x'.repeat(43), '', undefined]) expect(await auth.verify(token)).toBeUndefined();
    });
  });

  describe('revocation', () => {
    it('revokes a session on logout, and nothing for an API token', async () => {
      const session = await auth.login('admin', PASSWORD);
      if (!session) throw new Error('login failed');
      await auth.logout(session.token);
      expect(revoked).toEqual([[[credentialId(session.token)], REVOCATION_REASONS.logout]]);
      expect(await auth.verify(session.token)).toBeUndefined();
      await auth.logout(API_A);
      expect(revoked).toHaveLength(1);
      expect(await auth.check(API_A)).toBe(true);
    });

    it('refuses a session whose lookup was still in flight when it was logged out', async () => {
      const store = new GatedWriteStore(t.store, () => undefined);
      let release: () => void = () => {};
      const paused = new Promise<void>((r) => {
        release = r;
      });
      const read = store.getSession.bind(store);
      // The row is read before the logout; the answer comes back after it.
      store.getSession = async (id) => {
        const row = await read(id);
        await paused;
        return row;
      };
      const slow = new Authenticator({ store, apiTokens: [], sessionTtlMs: TTL_MS, now: () => now });
      const session = await slow.login('admin', PASSWORD);
      if (!session) throw new Error('login failed');
      const inFlight = slow.verify(session.token);
      await slow.logout(session.token);
      release();
      expect(await inFlight).toBeUndefined();
    });

    it('revokes every session of a disabled account and refuses its logins', async () => {
      const [a, b] = [await auth.login('admin', PASSWORD), await auth.login('admin', PASSWORD)];
      if (!a || !b) throw new Error('login failed');
      expect(await auth.disableStaff('admin')).toBe(true);
      expect(revoked).toHaveLength(1);
      expect([...(revoked[0]?.[0] ?? [])].sort()).toEqual(
        [credentialId(a.token), credentialId(b.token)].sort(),
      );
      expect(revoked[0]?.[1]).toBe(REVOCATION_REASONS.disabled);
      expect(await auth.login('admin', PASSWORD)).toBeUndefined();
      expect(await auth.verify(a.token)).toBeUndefined();
      expect(await auth.disableStaff('nobody')).toBe(false);
    });

    it('revokes the API tokens setApiTokens no longer lists, and accepts the new ones', async () => {
      const C = 'api-token-c-0123456789';
      expect(auth.setApiTokens([API_A, C, C])).toEqual({ added: 1, removed: 1 });
      expect(revoked).toEqual([[[credentialId(API_B)], REVOCATION_REASONS.apiTokenRemoved]]);
      expect(await auth.check(API_B)).toBe(false);
      expect(await auth.check(C)).toBe(true);
      expect(auth.setApiTokens([API_A, C])).toEqual({ added: 0, removed: 0 });
      expect(revoked).toHaveLength(1);
    });

    it('keeps telling the other listeners when one throws', async () => {
      const errors: unknown[] = [];
      const quiet = new Authenticator({
        store: t.store,
        apiTokens: [API_A],
        sessionTtlMs: TTL_MS,
        now: () => now,
        onListenerError: (e) => errors.push(e),
      });
      const seen: string[] = [];
      quiet.onRevoked(() => {
        throw new Error('listener failure');
      });
      const off = quiet.onRevoked((ids) => seen.push(...ids));
      quiet.setApiTokens([]);
      expect(seen).toEqual([credentialId(API_A)]);
      expect(errors).toHaveLength(1);
      off();
    });
  });
});
