import type { TypeResult } from '@av-gym/protocol';
import type { CallPlan } from './plan-batch.js';

export type ResultStatus = 'accepted' | 'duplicates' | 'rejected';

/**
 * The ack results of one call: every type of its input, every id in exactly one list, in
 * the order of its type's array. `info` carries what accepted writes produced (and, for a
 * duplicate, what the original write produced). `count` gets every outcome once, summed per
 * type, status and rejection code (`n` of them).
 */
export function buildResults(
  plan: CallPlan,
  count: (type: string, status: ResultStatus, code: string | undefined, n: number) => void,
): Record<string, TypeResult> {
  const results = new Map<string, TypeResult>();
  const tallies = new Map<string, { accepted: number; duplicates: number; rejected: Map<string, number> }>();
  const tally = (type: string) => {
    let t = tallies.get(type);
    if (t === undefined) {
      t = { accepted: 0, duplicates: 0, rejected: new Map() };
      tallies.set(type, t);
    }
    return t;
  };
  for (const type of Object.keys(plan.input.batches ?? {})) results.set(type, { accepted: [] });
  for (const entry of plan.entries) {
    let result = results.get(entry.type);
    if (!result) {
      result = { accepted: [] };
      results.set(entry.type, result);
    }
    const outcome = entry.outcome ?? {
      status: 'rejected',
      code: 'INTERNAL',
      message: 'the message got no outcome',
      record: false,
    };
    if (outcome.status === 'rejected') {
      const { code, message, data } = outcome;
      result.rejected ??= [];
      result.rejected.push(
        data === undefined ? { id: entry.id, code, message } : { id: entry.id, code, message, data },
      );
      const rejected = tally(entry.type).rejected;
      rejected.set(code, (rejected.get(code) ?? 0) + 1);
      continue;
    }
    if (outcome.status === 'accepted') {
      result.accepted.push(entry.id);
      tally(entry.type).accepted++;
    } else {
      result.duplicates ??= [];
      result.duplicates.push(entry.id);
      tally(entry.type).duplicates++;
    }
    if (outcome.info !== undefined) {
      // Ids are client-made: a prototype-free object keeps `__proto__` a plain key.
      result.info ??= Object.create(null) as Record<string, Record<string, unknown>>;
      result.info[entry.id] = outcome.info;
    }
  }
  for (const [type, t] of tallies) {
    if (t.accepted > 0) count(type, 'accepted', undefined, t.accepted);
    if (t.duplicates > 0) count(type, 'duplicates', undefined, t.duplicates);
    for (const [code, n] of t.rejected) count(type, 'rejected', code, n);
  }
  // Types are client-made too: fromEntries defines own keys, whatever they are called.
  return Object.fromEntries(results);
}
