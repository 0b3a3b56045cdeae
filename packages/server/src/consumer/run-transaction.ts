import {
  conflictKey,
  EVENT_SCHEMAS,
  type MessageType,
  RETRYABLE_CODES,
  type ServerEvent,
  validateMessage,
} from '@av-gym/protocol';
import type { ProcessedRecord } from '../store/records.js';
import type { StoreTx, WriteStore } from '../store/write-store.js';
import { type BufferedEvent, type HandlerMap, HandlerScope, type PlannedMessage } from './handler-context.js';
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
  /** Called with each handler failure (the error is turned into INTERNAL rejections). */
  onHandlerError: (type: string, error: unknown) => void;
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
 * query, validation, phases of one bulk handler per type (each in a savepoint), the
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
    if (first) {
      if (reusesId(first.fingerprint, entry.fingerprint)) entry.outcome = idReusedOutcome(entry.id);
      else entry.repeatOf = first;
      continue;
    }
    firstById.set(entry.id, entry);
    const stored = processed.get(entry.id);
    if (stored) {
      entry.outcome = reusesId(stored.fingerprint, entry.fingerprint)
        ? idReusedOutcome(entry.id)
        : replayOutcome(stored.outcome);
      continue;
    }
    const valid = validateMessage(entry.type, entry.data);
    if (!valid.ok) {
      entry.outcome = { status: 'rejected', code: valid.code, message: valid.message, record: true };
      continue;
    }
    scheduled.push({ id: entry.id, type: valid.type, data: valid.data, clientId: entry.clientId, entry });
  }

  const buffered: BufferedEvent[] = [];
  const visitCalls = new Set<number>();
  const tainted = new Set<string>();
  for (const phase of splitPhases(scheduled)) {
    for (const [type, group] of groupByType(phase)) {
      let runnable: Scheduled[] = group;
      if (tainted.size > 0) {
        runnable = [];
        for (const message of group) {
          const key = conflictKey(message.type, message.data);
          if (key !== undefined && tainted.has(key)) {
            message.entry.outcome = internal(
              'an earlier message for this member failed; nothing was written',
            );
          } else runnable.push(message);
        }
      }
      if (runnable.length === 0) continue;
      const scope = new HandlerScope(tx, options.now, options.newId);
      const handler = options.handlers[type as MessageType] as (
        ctx: HandlerScope,
        messages: readonly Scheduled[],
      ) => Promise<void>;
      try {
        await tx.savepoint(() => handler(scope, runnable));
      } catch (error) {
        options.onHandlerError(type, error);
        for (const message of runnable) {
          message.entry.outcome = internal(`the ${type} handler failed; nothing was written`);
          const key = conflictKey(message.type, message.data);
          if (key !== undefined) tainted.add(key);
        }
        continue;
      }
      for (const message of runnable) {
        const outcome = scope.outcomes.get(message);
        message.entry.outcome = outcome
          ? { ...outcome, record: true }
          : internal('the handler gave no outcome');
        if (scope.visitChanges.has(message)) visitCalls.add(message.entry.call);
      }
      buffered.push(...scope.events);
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
  // Stores that serve several nodes keep the events with the commit, so a node that dies before
  // publishing loses none of them (the others read the missing seqs back).
  if (tx.recordEvents && result.events.length > 0) await tx.recordEvents(result.events, options.now);
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
    pending.push({
      name: 'occupancy.changed',
      data: { current: counts.current, capacity: store.capacity, todayTotal: counts.todayTotal },
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
