import type { ConnectionState, OutboxSnapshot } from '@av-gym/client';
import type { StaffRole } from '@av-gym/protocol';
import { createContext, useContext, useEffect, useState } from 'react';
import type { DeskClub } from '../features/clubs/use-desk-club.js';
import type { Api } from '../lib/api.js';
import type { LiveEvent, Realtime } from '../lib/realtime.js';

/** What every signed-in view needs: the HTTP API, the tab's connection, and this desk's name. */
export interface DeskContextValue {
  api: Api;
  realtime: Realtime;
  deskName: string;
  /** The signed-in staff member's role (undefined: an older server that sends none). */
  role?: StaffRole | undefined;
  /** The chain's clubs and this desk's club (issue 17); absent outside the signed-in shell. */
  club?: DeskClub;
}

export const DeskContext = createContext<DeskContextValue | null>(null);

export function useDesk(): DeskContextValue {
  const value = useContext(DeskContext);
  if (!value) throw new Error('useDesk outside DeskContext');
  return value;
}

/** Calls `handler` for every live event; the latest handler is always used. */
export function useLiveEvents(handler: (event: LiveEvent) => void): void {
  const { realtime } = useDesk();
  const [ref] = useState(() => ({ current: handler }));
  ref.current = handler;
  useEffect(() => realtime.on('event', (event) => ref.current(event)), [realtime, ref]);
}

/** Calls `handler` when the connection could not resume and state must be reloaded over HTTP. */
export function useReload(handler: () => void): void {
  const { realtime } = useDesk();
  const [ref] = useState(() => ({ current: handler }));
  ref.current = handler;
  useEffect(() => realtime.on('reload', () => ref.current()), [realtime, ref]);
}

/** The connection's state (`open`, `reconnecting`, ...), live. */
export function useConnectionState(): ConnectionState {
  const { realtime } = useDesk();
  const [state, setState] = useState(realtime.state);
  useEffect(() => {
    setState(realtime.state);
    return realtime.on('state', setState);
  }, [realtime]);
  return state;
}

/** True when the socket is open and the session welcomed. */
export function isOnline(state: ConnectionState): boolean {
  return state === 'open';
}

/** The desk's saved outbox (actions waiting on this desk for the server), live; undefined without a store. */
export function useOutbox(): OutboxSnapshot | undefined {
  const { realtime } = useDesk();
  const [snap, setSnap] = useState(() => realtime.outbox());
  useEffect(() => {
    setSnap(realtime.outbox());
    return realtime.on('outbox', setSnap);
  }, [realtime]);
  return snap;
}

/** When the connection was last open (ms), or null while it has not been; figures on screen are as of then. */
export function useLastOnline(): { online: boolean; sinceMs: number | null } {
  const state = useConnectionState();
  const [lastMs, setLastMs] = useState<number | null>(null);
  const online = isOnline(state);
  useEffect(() => {
    if (online) setLastMs(null);
    else setLastMs((old) => old ?? Date.now());
  }, [online]);
  return { online, sinceMs: lastMs };
}
