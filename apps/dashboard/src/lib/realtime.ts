import {
  type AckNotice,
  type ConnectionState,
  createIdGenerator,
  IndexedDbOutboxStore,
  type OutboxSnapshot,
  type SendOutcome,
  type ServiceMetrics,
  type StateChange,
  type StoredAction,
  WebSocketService,
} from '@av-gym/client';
import { type Alert, CLOSE_CODES, type EventFrame } from '@av-gym/protocol';
import { identity } from './desk-identity.js';

/** What a `send` resolves to once the server acks (or refuses) the message. */
export type { SendOutcome, StoredAction };

/** A server event as the dashboard sees it. */
export type LiveEvent = EventFrame;

const TOPICS = ['check_ins', 'occupancy', 'members'] as const;

type Listener<T> = (value: T) => void;

/** The channels the dashboard listens on: topics, connection state, and reload requests. */
export interface RealtimeChannels {
  event: LiveEvent;
  state: ConnectionState;
  reload: undefined;
  /** The server ended this session (4401: logged out elsewhere, expired, account disabled). */
  unauthorized: undefined;
  /** Every settled send, including actions a previous page saved and this one sent. */
  ack: AckNotice;
  /** The desk's saved outbox changed. */
  outbox: OutboxSnapshot;
  /** An alert changed state on the server (the `alerts` topic). */
  alert: Alert;
}

/** Whether this browser keeps the outbox on disk (IndexedDB), so a reload loses nothing. */
export const durableOutbox = typeof indexedDB !== 'undefined';

/**
 * One WebSocketService per tab, wrapped so React code never touches the client's API
 * directly: events fan out to any number of listeners, each removable.
 */
export class Realtime {
  readonly service: WebSocketService;
  /** This browser's device id: names the desk's outbox and member index. */
  readonly clientId: string;
  private readonly listeners = new Map<keyof RealtimeChannels, Set<Listener<never>>>();
  private stateName: ConnectionState;
  private readonly nextId = createIdGenerator(() => Date.now());

  constructor(token: string) {
    const { clientId } = identity();
    this.clientId = clientId;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    this.service = new WebSocketService({
      url: `${scheme}://${location.host}/ws`,
      token,
      clientId,
      // the alerts topic too: a firing alert shows on every desk without a reload
      topics: [...TOPICS, 'alerts'],
      // a desk on the gym's LAN wants to be back within seconds, not the default 30 s cap
      reconnectMaxDelayMs: 5_000,
      // one outbox per desk on this browser profile; tabs of the desk share it (Web Locks decide who sends what)
      outboxStore: durableOutbox ? new IndexedDbOutboxStore({ name: clientId }) : null,
    });
    this.service.on('ack', (notice: AckNotice) => this.emit('ack', notice));
    this.service.on('outbox', (snap: OutboxSnapshot) => this.emit('outbox', snap));
    for (const topic of TOPICS) {
      this.service.on(topic, (frame: EventFrame) => this.emit('event', frame));
    }
    this.service.on('state', (change: StateChange) => {
      this.stateName = change.to;
      this.emit('state', change.to);
      if (change.to === 'closed' && change.reason?.code === CLOSE_CODES.UNAUTHENTICATED) {
        this.emit('unauthorized', undefined);
      }
    });
    this.service.on('reload', () => this.emit('reload', undefined));
    this.service.on('alert', (alert: Alert) => this.emit('alert', alert));
    this.stateName = this.service.state;
    this.service.connect().catch(() => {
      // a terminal close (bad token, refused origin): the state channel reports `closed`
    });
  }

  get state(): ConnectionState {
    return this.stateName;
  }

  /** Sends one logical message; resolves when it is acked, however long that takes offline. */
  send(
    type: string,
    data: Record<string, unknown>,
    options: { id?: string; onSaved?: () => void } = {},
  ): Promise<SendOutcome> {
    return this.service.send(type, data, options);
  }

  /** A new message id (ULID), so a line on screen can follow its action across a reload. */
  newId(): string {
    return this.nextId();
  }

  /** Actions saved on this desk, not yet confirmed or refused by the server. */
  savedActions(): StoredAction[] {
    return this.service.savedActions();
  }

  outbox(): OutboxSnapshot | undefined {
    return this.service.outboxSnapshot();
  }

  metrics(): ServiceMetrics {
    return this.service.getMetrics();
  }

  setOptimization(enabled: boolean): void {
    this.service.setOptimization(enabled);
  }

  on<K extends keyof RealtimeChannels>(channel: K, listener: Listener<RealtimeChannels[K]>): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  close(): void {
    this.listeners.clear();
    void this.service.close();
  }

  private emit<K extends keyof RealtimeChannels>(channel: K, value: RealtimeChannels[K]): void {
    for (const listener of this.listeners.get(channel) ?? [])
      (listener as Listener<RealtimeChannels[K]>)(value);
  }
}

let current: { token: string; realtime: Realtime } | undefined;

/** The tab's one connection for this token; a new token closes the old connection. */
export function realtimeFor(token: string): Realtime {
  if (current?.token === token) return current.realtime;
  current?.realtime.close();
  current = { token, realtime: new Realtime(token) };
  return current.realtime;
}

/** Closes the tab's connection (on logout). */
export function closeRealtime(): void {
  current?.realtime.close();
  current = undefined;
}
