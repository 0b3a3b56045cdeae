/**
 * The one-by-one reference the consumer's property tests compare group commit with (test
 * support): check-ins, check-outs and versioned member updates of a few members, applied in
 * enqueue order.
 */
export type OpType = 'check_in' | 'check_out' | 'member_update';
export interface Op {
  id: string;
  type: OpType;
  member: number;
  baseVersion?: number;
}
/** What the client learns about one message: accepted, duplicate or a rejection code. */
export type Verdict = string;

/** Members 0..MEMBERS-1 exist; member index MEMBERS does not. */
export const MEMBERS = 3;

/** The sequential reference: apply every message one by one in enqueue order. */
export function referenceModel(ops: readonly Op[]) {
  const open = new Map<number, boolean>();
  const version = new Map<number, number>();
  const seen = new Map<string, Verdict>();
  const verdicts: Verdict[] = [];
  for (const op of ops) {
    const prior = seen.get(op.id);
    if (prior !== undefined) {
      verdicts.push(prior === 'accepted' ? 'duplicate' : prior);
      continue;
    }
    let verdict: Verdict = 'accepted';
    if (op.member === MEMBERS) verdict = 'MEMBER_NOT_FOUND';
    else if (op.type === 'check_in') {
      if (open.get(op.member)) verdict = 'ALREADY_CHECKED_IN';
      else open.set(op.member, true);
    } else if (op.type === 'check_out') {
      if (!open.get(op.member)) verdict = 'NOT_CHECKED_IN';
      else open.set(op.member, false);
    } else {
      const v = version.get(op.member) ?? 1;
      if (op.baseVersion !== undefined && op.baseVersion !== v) verdict = 'VERSION_CONFLICT';
      else version.set(op.member, v + 1);
    }
    seen.set(op.id, verdict);
    verdicts.push(verdict);
  }
  return { open, version, verdicts };
}
