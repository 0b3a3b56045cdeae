import {
  type ClientTimeWindow,
  conflictKey,
  EVENT_SCHEMAS,
  type MessageType,
  RETRYABLE_CODES,
  type ServerEvent,
  validateMessage,
} from '@av-gym/protocol';
import type { AuditRecord } from '../store/audit-records.js';
import type { ProcessedRecord } from '../store/records.js';
import type { StoreTx, WriteStore } from '../store/write-store.js';
import type { BufferedEvent, HandlerMap, PlannedMessage } from './handler-context.js';
import { isolatedHandlerCall } from './isolated-handler-call.js';
import {
  type CallPlan,
  type Entry,
  groupByType,
  idReusedOutcome,
  replayOutcome,
  reusesId,
  splitPhases,
} from './plan-batch.js';

export interface TransactionOptions {
  handlers: HandlerMap;
  now: number;
  newId: (prefix: 'm' | 'v') => string;
  /** Called with the error of each message whose handler failed on it alone (it gets INTERNAL). */
  onHandlerError: (type: string, error: unknown) => void;
  /** How far `at` may lie from `now`; default 5 min ahead, 7 days behind. */
  clientTimeWindow?: ClientTimeWindow;
}

/** Events of one transaction with seqs assigned, and which call caused each. */
export interface TransactionEvents {
  events: ServerEvent[];
  /** Per event (same index), the calls it belongs to. */
  callsOf: Set<number>[];
}

interface Scheduled extends PlannedMessage {
  readonly entry: Entry;
}

/**
 * Applies a group of planned calls inside one open transaction: idempotency lookup in one
 * query, validation (client times against `now`), phases of one bulk handler per type (each in
 * a savepoint; a message it throws on fails alone, see {@link isolatedHandlerCall}), the
 * occupancy event, seq reservation, and the multi-row idempotency record. Fills every
 * entry's `outcome`.
 */
export async function runTransaction(
  store: WriteStore,
  tx: StoreTx,
  plans: readonly CallPlan[],
  options: TransactionOptions,
): Promise<TransactionEvents> {
  const entries = plans.flatMap((p) => p.entries);
  const fresh = entries.filter((e) => e.outcome === undefined);
  const processed = await tx.findProcessed([...new Set(fresh.map((e) => e.id))]);

  const firstById = new Map<string, Entry>();
  const scheduled: Scheduled[] = [];
  for (const entry of fresh) {
    const first = firstById.get(entry.id);
    const stored = processed.get(entry.id);
    // The message an id stands for: the recorded one, else the first in this transaction. A reuse
    // is answered alone and never becomes the "first", so a true repeat after it still matches.
    if ((stored || first) && reusesId(stored ? stored.fingerprint : first?.fingerprint, entry.fingerprint)) {
      entry.outcome = idReusedOutcome(entry.id);
      continue;
    }
    if (first) {
      entry.repeatOf = first;
      continue;
    }
    firstById.set(entry.id, entry);
    if (stored) {
      entry.outcome = replayOutcome(stored.outcome);
      continue;
    }
    const valid = validateMessage(entry.type, entry.data, {
      now: options.now,
      ...(options.clientTimeWindow ? { clientTimeWindow: options.clientTimeWindow } : {}),
    });
    if (!valid.ok) {
      // An unknown type is not recorded: the answer never changes, and its name (any string) stays out of the store.
      const record = valid.code !== 'UNKNOWN_TYPE';
      entry.outcome = { status: 'rejected', code: valid.code, message: valid.message, record };
      continue;
    }
    scheduled.push({
      id: entry.id,
      type: valid.type,
      data: valid.data,
      clientId: entry.clientId,
      actor: entry.actor,
      entry,
    });
  }

  const buffered: BufferedEvent[] = [];
  const audits: AuditRecord[] = [];
  const visitCalls = new Set<number>();
  const tainted = new Set<string>();
  const keyOf = (message: Scheduled) => conflictKey(message.type, message.data);
  for (const phase of splitPhases(scheduled)) {
    for (const [type, group] of groupByType(phase)) {
      await isolatedHandlerCall(type as MessageType, group, {
        tx,
        handlers: options.handlers,
        now: options.now,
        newId: options.newId,
        onHandlerError: options.onHandlerError,
        isTainted: (message) => {
          const key = keyOf(message);
          return key !== undefined && tainted.has(key);
        },
        fail: (message, reason) => {
          message.entry.outcome = internal(reason);
          const key = keyOf(message);
          if (key !== undefined) tainted.add(key);
        },
        done: (scope, messages) => {
          for (const message of messages) {
            const outcome = scope.outcomes.get(message);
            message.entry.outcome = outcome
              ? { ...outcome, record: true }
              : internal('the handler gave no outcome');
            if (scope.visitChanges.has(message)) visitCalls.add(message.entry.call);
          }
          buffered.push(...scope.events);
          for (const row of scope.audits) audits.push(row);
        },
      });
    }
  }

  for (const entry of entries) {
    if (!entry.repeatOf) continue;
    const first = entry.repeatOf.outcome!;
    entry.outcome =
      first.status === 'rejected'
        ? { ...first, record: false }
        : first.info === undefined
          ? { status: 'duplicate' }
          : { status: 'duplicate', info: first.info };
  }

  const result = await assignSeqs(store, tx, options.now, buffered, visitCalls);
  // The events are logged with the commit: resume reads them after a restart, and a node that dies
  // before publishing loses none of them (the others read the missing seqs back).
  if (result.events.length > 0) await tx.recordEvents(result.events, options.now);
  if (audits.length > 0) await tx.recordAudit(audits);
  await tx.recordProcessed(recordsOf(entries), options.now);
  return result;
}

function internal(message: string) {
  return { status: 'rejected', code: 'INTERNAL', message, record: false } as const;
}

function recordsOf(entries: readonly Entry[]): ProcessedRecord[] {
  const rows: ProcessedRecord[] = [];
  for (const { id, type, outcome, fingerprint } of entries) {
    if (!outcome || !('record' in outcome) || !outcome.record) continue;
    if (outcome.status === 'accepted') {
      rows.push({
        id,
        type,
        fingerprint,
        outcome: outcome.info ? { status: 'accepted', info: outcome.info } : { status: 'accepted' },
      });
    } else if (!RETRYABLE_CODES.has(outcome.code)) {
      const { code, message, data } = outcome;
      rows.push({
        id,
        type,
        fingerprint,
        outcome:
          data === undefined
            ? { status: 'rejected', code, message }
            : { status: 'rejected', code, message, data },
      });
    }
  }
  return rows;
}

async function assignSeqs(
  store: WriteStore,
  tx: StoreTx,
  now: number,
  buffered: readonly BufferedEvent[],
  visitCalls: ReadonlySet<number>,
): Promise<TransactionEvents> {
  const events: ServerEvent[] = [];
  const callsOf: Set<number>[] = [];
  const pending: { name: ServerEvent['name']; data: ServerEvent['data']; calls: Set<number> }[] =
    buffered.map((e) => ({
      name: e.name,
      data: e.data,
      calls: new Set([(e.message as Scheduled).entry.call]),
    }));
  if (visitCalls.size > 0) {
    const counts = await tx.occupancyCounts(now);
    // Issue 17: the figures of each club whose visits changed ride on the one event, so the seq
    // stays gap-free for `*` and chain-wide readers see what they saw before.
    const byClub = await tx.clubOccupancyCounts(now, clubsChanged(buffered));
    const clubs = [...byClub].map(([clubId, c]) => ({ clubId, ...c }));
    pending.push({
      name: 'occupancy.changed',
      data: {
        current: counts.current,
        capacity: store.capacity,
        todayTotal: counts.todayTotal,
        ...(clubs.length > 0 ? { clubs } : {}),
      },
      calls: new Set(visitCalls),
    });
  }
  if (pending.length === 0) return { events, callsOf };
  const first = await tx.reserveEventSeqs(pending.length);
  pending.forEach((p, i) => {
    events.push({
      type: 'event',
      seq: first + i,
      topic: EVENT_SCHEMAS[p.name].topic,
      name: p.name,
      data: p.data,
    });
    callsOf.push(p.calls);
  });
  return { events, callsOf };
}

/** The clubs whose visits these events opened or closed. */
function clubsChanged(buffered: readonly BufferedEvent[]): string[] {
  const out = new Set<string>();
  for (const e of buffered) {
    if (e.name !== 'check_in.created' && e.name !== 'check_out.created') continue;
    const clubId = (e.data as { clubId?: string }).clubId;
    if (clubId !== undefined) out.add(clubId);
  }
  return [...out];
}
