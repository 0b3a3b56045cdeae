import type { TypeResult } from '@av-gym/protocol';
import type { CallPlan } from './plan-batch.js';

export type ResultStatus = 'accepted' | 'duplicates' | 'rejected';

/**
 * The ack results of one call: every type of its input, every id in exactly one list, in
 * the order of its type's array. `info` carries what accepted writes produced (and, for a
 * duplicate, what the original write produced). `count` sees each outcome once.
 */
export function buildResults(
  plan: CallPlan,
  count: (type: string, status: ResultStatus, code?: string) => void,
): Record<string, TypeResult> {
  const results = new Map<string, TypeResult>();
  const infos = new Map<TypeResult, Map<string, Record<string, unknown>>>();
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
      count(entry.type, 'rejected', code);
      continue;
    }
    if (outcome.status === 'accepted') {
      result.accepted.push(entry.id);
      count(entry.type, 'accepted');
    } else {
      result.duplicates ??= [];
      result.duplicates.push(entry.id);
      count(entry.type, 'duplicates');
    }
    if (outcome.info !== undefined) {
      const info = infos.get(result) ?? new Map<string, Record<string, unknown>>();
      infos.set(result, info);
      info.set(entry.id, outcome.info);
    }
  }
  // Ids and types are client-made: fromEntries defines own keys, so `__proto__` stays a plain key.
  for (const [result, info] of infos) result.info = Object.fromEntries(info);
  return Object.fromEntries(results);
}
