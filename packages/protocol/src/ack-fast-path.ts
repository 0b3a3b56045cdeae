import type { CompactAckFrame } from './compact-ack.js';
import type { BatchAckFrame, SingleAckFrame } from './server-frames.js';

// The acks a busy desk receives are almost all the same shape: every id accepted, nothing
// refused, no field this version does not know. For exactly that shape, the checks below are
// the schema's own checks written out, and the parsed JSON is already what the schema would
// return (it strips nothing, converts nothing). Anything else, including every refusal, goes
// to the zod schema, which stays the one judge of what is valid; the property test in
// ack-fast-path.test.ts holds this file to the schema's answers.

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function isStringArray(v: unknown): v is string[] {
  if (!Array.isArray(v)) return false;
  for (const s of v) if (typeof s !== 'string') return false;
  return true;
}

/** `Record<string, Record<string, unknown>>` of plain objects, no `__proto__` key at either level. */
function isInfo(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const key in v) {
    if (key === '__proto__' || !isPlainObject(v[key])) return false;
    for (const inner in v[key]) if (inner === '__proto__') return false;
  }
  return true;
}

/** A TypeResult with accepted ids, maybe duplicates and info, no refusal and no other key. */
function isPlainTypeResult(v: unknown): boolean {
  if (!isPlainObject(v) || !isStringArray(v.accepted)) return false;
  for (const key in v) {
    if (key === 'accepted') continue;
    if (key === 'duplicates' ? !isStringArray(v.duplicates) : key !== 'info' || !isInfo(v.info)) return false;
  }
  return true;
}

function isPlainBatchAck(v: Record<string, unknown>): v is BatchAckFrame {
  let keys = 0;
  for (const _ in v) keys++;
  if (keys !== 3 || !isIndex(v.seq) || !isPlainObject(v.results)) return false;
  for (const type in v.results) {
    if (type === '__proto__' || !isPlainTypeResult(v.results[type])) return false;
  }
  return true;
}

function isPlainSingleAck(v: Record<string, unknown>): v is SingleAckFrame {
  if (v.ok !== true || typeof v.id !== 'string') return false;
  for (const key in v) {
    if (key === 'type' || key === 'id' || key === 'ok') continue;
    if (key === 'duplicate' ? typeof v.duplicate !== 'boolean' : key !== 'info' || !isInfoValue(v.info))
      return false;
  }
  return true;
}

/** A single ack's `info`: `Record<string, unknown>`. */
function isInfoValue(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const key in v) if (key === '__proto__') return false;
  return true;
}

/**
 * The ack itself when it is a batch ack with no refusal or a single `ok: true` ack, carrying
 * no field this version does not know; otherwise undefined (the caller asks the schema).
 * `value.type` is already known to be `"ack"`.
 */
export function plainAck(value: Record<string, unknown>): BatchAckFrame | SingleAckFrame | undefined {
  if ('seq' in value) return isPlainBatchAck(value) ? value : undefined;
  return isPlainSingleAck(value) ? value : undefined;
}

function isIndexArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const i of v) if (!isIndex(i)) return false;
  return true;
}

/** `info` of a compact type result: an array of plain objects (no `__proto__` key) or nulls. */
function isCompactInfo(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const item of v) if (item !== null && !isInfoValue(item)) return false;
  return true;
}

/** `{n, dup?, info?}`: no refusal, no other key. */
function isPlainCompactTypeResult(v: unknown): boolean {
  if (!isPlainObject(v) || !isIndex(v.n)) return false;
  for (const key in v) {
    if (key === 'n') continue;
    if (key === 'dup' ? !isIndexArray(v.dup) : key !== 'info' || !isCompactInfo(v.info)) return false;
  }
  return true;
}

/**
 * The compact ack itself when no message of it was refused and it carries no field this version
 * does not know; otherwise undefined (the caller asks the schema). `value.type` is already known
 * to be `"compact_ack"`.
 */
export function plainCompactAck(value: Record<string, unknown>): CompactAckFrame | undefined {
  let keys = 0;
  for (const _ in value) keys++;
  if (keys !== 3 || !isIndex(value.seq) || !isPlainObject(value.types)) return undefined;
  for (const type in value.types) {
    if (type === '__proto__' || !isPlainCompactTypeResult(value.types[type])) return undefined;
  }
  return value as CompactAckFrame;
}
