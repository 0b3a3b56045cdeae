import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../lib/memory-storage.test-util.js';
import { clearSession, loadSession, storeSession } from './session.js';

describe('session storage', () => {
  const session = { token: 't0k3n', username: 'admin', expiresAt: 10_000 };

  it('keeps a session until it expires', () => {
    const storage = memoryStorage();
    storeSession(session, storage);
    expect(loadSession(storage, 9_999)).toEqual(session);
    expect(loadSession(storage, 10_000)).toBeUndefined();
  });

  it('forgets a session on sign-out', () => {
    const storage = memoryStorage();
    storeSession(session, storage);
    clearSession(storage);
    expect(loadSession(storage, 0)).toBeUndefined();
  });

  it('treats a damaged entry as no session', () => {
    const storage = memoryStorage();
    storage.setItem('av-gym.session', '{not json');
    expect(loadSession(storage, 0)).toBeUndefined();
  });
});
