/** Credential ids per stream entry; a longer list goes out as several. */
export const MAX_IDS_PER_MESSAGE = 1_000;
const MAX_REASON_CHARS = 200;
const CREDENTIAL_ID = /^[0-9a-f]{64}$/;

/** One revocation as it crosses Redis (an entry of the revocation stream): which node sent it, which credentials, why. */
export interface RevocationMessage {
  from: string;
  ids: string[];
  reason: string;
}

/** The entry payloads for `ids` (chunks of {@link MAX_IDS_PER_MESSAGE}). */
export function encodeRevocation(from: string, ids: readonly string[], reason: string): string[] {
  const payloads: string[] = [];
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_MESSAGE) {
    const message: RevocationMessage = {
      from,
      ids: ids.slice(i, i + MAX_IDS_PER_MESSAGE),
      reason: reason.slice(0, MAX_REASON_CHARS),
    };
    payloads.push(JSON.stringify(message));
  }
  return payloads;
}

/** The message in `payload`, or undefined when it is not one (anything else in the stream is ignored). */
export function decodeRevocation(payload: string): RevocationMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { from, ids, reason } = parsed as Record<string, unknown>;
  if (typeof from !== 'string' || typeof reason !== 'string' || reason.length > MAX_REASON_CHARS)
    return undefined;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_IDS_PER_MESSAGE) return undefined;
  if (!ids.every((id) => typeof id === 'string' && CREDENTIAL_ID.test(id))) return undefined;
  return { from, ids: ids as string[], reason };
}
