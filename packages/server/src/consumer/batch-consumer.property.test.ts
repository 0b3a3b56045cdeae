import type { BatchOrder } from '@av-gym/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerBackends } from '../../test/support/consumer-backends.js';
import { type ConsumerHarness, openHarness } from '../../test/support/consumer-harness.js';
import {
  MEMBERS,
  type Op,
  type OpType,
  referenceModel,
  type Verdict,
} from '../../test/support/sequential-model.js';
import type { BatchOutcome } from './types.js';

const opArb = fc.record({
  type: fc.constantFrom<OpType>('check_in', 'check_out', 'member_update'),
  member: fc.integer({ min: 0, max: MEMBERS }),
  baseVersion: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  repeat: fc.option(fc.nat(), { nil: undefined }),
});
const scenarioArb = fc.record({
  ops: fc.array(opArb, { minLength: 1, maxLength: 24 }),
  cuts: fc.array(fc.nat(), { maxLength: 4 }),
  concurrent: fc.boolean(),
  hint: fc.boolean(),
});

/** Splits ops into batches; each batch is grouped by type with an order hint (or key order without one). */
function toBatches(ops: readonly Op[], cuts: readonly number[], hint: boolean) {
  const bounds = [...new Set(cuts.map((c) => c % (ops.length + 1)))].sort((a, b) => a - b);
  const slices: Op[][] = [];
  let start = 0;
  for (const end of [...bounds, ops.length]) {
    if (end > start) slices.push(ops.slice(start, end));
    start = Math.max(start, end);
  }
  return slices.map((slice) => {
    const enqueue = hint
      ? slice
      : [...slice].sort((a, b) => typeOrder(slice, a.type) - typeOrder(slice, b.type));
    const batches: Record<string, { id: string; data: unknown }[]> = {};
    const order: BatchOrder = [];
    for (const op of enqueue) {
      const list = batches[op.type] ?? [];
      batches[op.type] = list;
      list.push({ id: op.id, data: dataOf(op) });
      const last = order.at(-1);
      if (last && last[0] === op.type) last[1] += 1;
      else order.push([op.type, 1]);
    }
    return { enqueue, batches, order };
  });
}

function typeOrder(slice: readonly Op[], type: OpType): number {
  return slice.findIndex((op) => op.type === type);
}

let prefix = '';
function memberId(index: number): string {
  return `${prefix}m${index}`;
}

function dataOf(op: Op): unknown {
  if (op.type === 'member_update') {
    return {
      memberId: memberId(op.member),
      changes: { notes: op.id },
      ...(op.baseVersion ? { baseVersion: op.baseVersion } : {}),
    };
  }
  return { memberId: memberId(op.member) };
}

function verdictOf(out: BatchOutcome, op: Op, used: Set<string>): Verdict {
  const result = out.results[op.type]!;
  const key = `${op.type}:${op.id}`;
  // An id repeated inside one batch appears once in accepted/rejected, then in duplicates.
  if (!used.has(key) && result.accepted.includes(op.id)) {
    used.add(key);
    return 'accepted';
  }
  const rejection = result.rejected?.find((r) => r.id === op.id);
  if (rejection) return rejection.code;
  if (result.duplicates?.includes(op.id)) return 'duplicate';
  return 'missing';
}

describe.each(consumerBackends().map((b) => [b.name, b] as const))(
  'BatchConsumer properties (%s)',
  (_name, backend) => {
    let h: ConsumerHarness;
    let run = 0;
    beforeAll(async () => {
      h = await openHarness({ groupCommitWindowMs: 1, backend });
    });
    afterAll(async () => {
      await h.cleanup();
    });

    it('equals the sequential reference model and never loses or doubles an accepted message', async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          prefix = `r${++run}_`;
          for (let i = 0; i < MEMBERS; i++) await h.addMember(memberId(i));
          const ops: Op[] = scenario.ops.map((o, i) => {
            const earlier = o.repeat !== undefined && i > 0 ? scenario.ops[o.repeat % i] : undefined;
            if (earlier) {
              const k = scenario.ops.indexOf(earlier);
              return {
                id: `${prefix}${k}`,
                type: earlier.type,
                member: earlier.member,
                ...(earlier.baseVersion ? { baseVersion: earlier.baseVersion } : {}),
              };
            }
            return {
              id: `${prefix}${i}`,
              type: o.type,
              member: o.member,
              ...(o.baseVersion ? { baseVersion: o.baseVersion } : {}),
            };
          });
          const batches = toBatches(ops, scenario.cuts, scenario.hint);
          const sends = batches.map((b) => () => h.send(b.batches, scenario.hint ? { order: b.order } : {}));
          const outs = scenario.concurrent ? await Promise.all(sends.map((s) => s())) : [];
          if (!scenario.concurrent) for (const s of sends) outs.push(await s());

          const enqueued = batches.flatMap((b) => b.enqueue);
          const model = referenceModel(enqueued);
          const actual = batches.flatMap((b, i) => {
            const used = new Set<string>();
            return b.enqueue.map((op) => verdictOf(outs[i]!, op, used));
          });
          expect(actual).toEqual(model.verdicts);

          for (let m = 0; m < MEMBERS; m++) {
            const visits = await h.store.listVisits({ memberId: memberId(m), limit: 1000 });
            const accepted = enqueued.filter(
              (op, k) => op.member === m && op.type === 'check_in' && model.verdicts[k] === 'accepted',
            );
            expect(visits).toHaveLength(accepted.length);
            expect(visits.filter((v) => v.checkedOutAt === null).length).toBe(model.open.get(m) ? 1 : 0);
            expect((await h.store.getMember(memberId(m)))?.version).toBe(model.version.get(m) ?? 1);
          }
        }),
        { numRuns: 60 },
      );
    });
  },
);
