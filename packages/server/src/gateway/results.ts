import type { MessageCode, SingleAckFrame, TypeResult } from '@av-gym/protocol';

/** The ids of a raw batch, by type; an item without a usable id is named `#<index>` (as the consumer does). */
function idsByType(batches: Record<string, unknown[]>): [string, string[]][] {
  return Object.entries(batches).map(([type, items]) => [
    type,
    items.map((item, index) => {
      const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
      return typeof id === 'string' && id.length > 0 ? id : `#${index}`;
    }),
  ]);
}

/** Results that refuse every message of a batch with one code (rate limit, shutdown). */
export function rejectAll(
  batches: Record<string, unknown[]>,
  code: MessageCode,
  message: string,
): Record<string, TypeResult> {
  const results: Record<string, TypeResult> = {};
  for (const [type, ids] of idsByType(batches)) {
    results[type] = { accepted: [], rejected: ids.map((id) => ({ id, code, message })) };
  }
  return results;
}

/** Turns the batch result of a one-message batch into the single-message `ack`. */
export function singleAck(type: string, id: string, results: Record<string, TypeResult>): SingleAckFrame {
  const r = Object.hasOwn(results, type) ? results[type] : undefined;
  if (r?.duplicates?.includes(id)) return { type: 'ack', id, ok: true, duplicate: true };
  if (r?.accepted.includes(id)) {
    const info = r.info?.[id];
    return info ? { type: 'ack', id, ok: true, info } : { type: 'ack', id, ok: true };
  }
  const rejection = r?.rejected?.find((x) => x.id === id);
  if (rejection) {
    return {
      type: 'ack',
      id,
      ok: false,
      code: rejection.code,
      message: rejection.message,
      ...(rejection.data === undefined ? {} : { data: rejection.data }),
    };
  }
  return {
    type: 'ack',
    id,
    ok: false,
    code: 'INTERNAL',
    message: 'no outcome was reported for this message',
  };
}
