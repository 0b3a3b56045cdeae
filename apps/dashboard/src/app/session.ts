import type { StaffRole } from '@av-gym/protocol';

const SESSION_KEY = 'av-gym.session';

/** A signed-in staff session, kept for the browser tab's session only. */
export interface StaffSession {
  token: string;
  username: string;
  expiresAt: number;
  /** The staff role the server answered at sign-in (absent from an older server). */
  role?: StaffRole;
}

export function loadSession(storage: Storage = sessionStorage, nowMs = Date.now()): StaffSession | undefined {
  const raw = storage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as StaffSession;
    if (typeof session.token !== 'string' || session.expiresAt <= nowMs) return undefined;
    return session;
  } catch {
    return undefined;
  }
}

export function storeSession(session: StaffSession, storage: Storage = sessionStorage): void {
  storage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(SESSION_KEY);
}
