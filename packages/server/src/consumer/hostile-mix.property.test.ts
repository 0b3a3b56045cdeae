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
import { TEST_NOW } from '../../test/support/temp-sqlite-store.js';
import type { MessageHandler } from './handler-context.js';
import { checkIn } from './handlers/check-in.js';
import { memberUpdate } from './handlers/member-update.js';
import type { BatchOutcome } from './types.js';

const DAY_MS = 86_400_000;

/** One hostile item of connection A, and the code A must get for it (undefined: not checked). */
interface Hostile {
  type: string;
  item: unknown;
  expected?: string;
}

let deepCache: Record<string, unknown> | undefined;
/** A 100,000-deep object (as `JSON.parse` of a deep frame would give a store-facing caller). */
function deep(): Record<string, unknown> {
  if (deepCache) return deepCache;
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 0; i < 100_000; i++) {
    const next: Record<string, unknown> = {};
    node.a = next;
    node = next;
  }
  deepCache = root;
  return root;
}

/** Hostile kinds; `member` is any member id (B's included) unless the kind must stay on A's own. */
const hostileKindArb = fc.oneof(
  fc.record({
    kind: fc.constant('bad-at' as const),
    type: fc.constantFrom('check_in', 'check_out'),
    at: fc.constantFrom(9e15, -1, 1.5, TEST_NOW + 3_600_000, TEST_NOW - 30 * DAY_MS, 8.64e15 + 1),
    member: fc.integer({ min: 0, max: MEMBERS }),
  }),
  fc.record({
    kind: fc.constant('bad-data' as const),
    variant: fc.constantFrom('deep-stats', 'huge-score', 'long-desk', 'bad-date', 'nul-name', 'not-envelope'),
    member: fc.integer({ min: 0, max: MEMBERS }),
  }),
  fc.record({
    kind: fc.constant('unknown-type' as const),
    name: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/^(check_|member_|client_)/.test(s)),
  }),
  fc.record({ kind: fc.constant('poison' as const), type: fc.constantFrom('check_in', 'member_update') }),
  fc.record({ kind: fc.constant('repeat' as const), of: fc.nat(), sameData: fc.boolean() }),
);
type HostileKind = typeof hostileKindArb extends fc.Arbitrary<infer T> ? T : never;

let prefix = '';
const bMember = (index: number) => `${prefix}b${index}`;
const aMember = () => `${prefix}a_m`;
const aPoison = () => `${prefix}a_poison`;

function hostileOf(kind: HostileKind, i: number, earlier: readonly Hostile[]): Hostile {
  const id = `${prefix}A${i}`;
  switch (kind.kind) {
    case 'bad-at':
      return {
        type: kind.type,
        item: { id, data: { memberId: bMember(kind.member), at: kind.at } },
        expected: 'VALIDATION_FAILED',
      };
    case 'bad-data': {
      const memberId = bMember(kind.member);
      const items: Record<typeof kind.variant, [string, unknown]> = {
        'deep-stats': ['client_stats', { id, data: { batching: deep() } }],
        'huge-score': ['client_stats', { id, data: { quality: { score: 1e308 }, junk: 'z'.repeat(10_000) } }],
        'long-desk': ['check_in', { id, data: { memberId, deskId: 'y'.repeat(5_000) } }],
        'bad-date': ['member_update', { id, data: { memberId, changes: { expiresAt: '99999-99-99' } } }],
        'nul-name': ['member_update', { id, data: { memberId, changes: { name: 'x\u0000' } } }],
        'not-envelope': ['check_in', { data: { memberId } }],
      };
      const [type, item] = items[kind.variant];
      return { type, item, expected: 'VALIDATION_FAILED' };
    }
    case 'unknown-type':
      return { type: `x-${kind.name}`, item: { id, data: {} }, expected: 'UNKNOWN_TYPE' };
    case 'poison':
      return kind.type === 'check_in'
        ? { type: 'check_in', item: { id, data: { memberId: aPoison() } }, expected: 'INTERNAL' }
        : {
            type: 'member_update',
            item: { id, data: { memberId: aMember(), changes: { notes: 'poison' } } },
            expected: 'INTERNAL',
          };
    case 'repeat': {
      const first = earlier.length > 0 ? earlier[kind.of % earlier.length] : undefined;
      const firstItem = first?.item as { id?: string; data?: unknown } | undefined;
      if (!first || typeof firstItem?.id !== 'string') {
        return { type: 'check_in', item: { id, data: { memberId: aPoison() } }, expected: 'INTERNAL' };
      }
      const data = kind.sameData ? firstItem.data : { memberId: aMember(), at: 9e15 };
      // Both now share one id in A's results: the answers depend on which came first, so check neither.
      first.expected = undefined;
      return { type: first.type, item: { id: firstItem.id, data } };
    }
  }
}

function push(batches: Record<string, unknown[]>, type: string, item: unknown): void {
  const list = batches[type];
  if (list) list.push(item);
  else batches[type] = [item];
}

/** B's slice as one batch with an order hint, like `@av-gym/client` sends it. */
function batchOf(slice: readonly Op[]) {
  const batches: Record<string, unknown[]> = {};
  const order: BatchOrder = [];
  for (const op of slice) {
    const data =
      op.type === 'member_update'
        ? {
            memberId: bMember(op.member),
            changes: { notes: op.id },
            ...(op.baseVersion ? { baseVersion: op.baseVersion } : {}),
          }
        : { memberId: bMember(op.member) };
    push(batches, op.type, { id: op.id, data });
    const last = order.at(-1);
    if (last && last[0] === op.type) last[1] += 1;
    else order.push([op.type, 1]);
  }
  return { batches, order };
}

function verdictOf(out: BatchOutcome, type: string, id: string, used: Set<string>): Verdict {
  const result = out.results[type];
  if (!result) return 'missing';
  const key = `${type}:${id}`;
  if (!used.has(key) && result.accepted.includes(id)) {
    used.add(key);
    return 'accepted';
  }
  const rejection = result.rejected?.find((r) => r.id === id);
  if (rejection) return rejection.code;
  if (result.duplicates?.includes(id)) return 'duplicate';
  return 'missing';
}

const scenarioArb = fc.record({
  ops: fc.array(
    fc.record({
      type: fc.constantFrom<OpType>('check_in', 'check_out', 'member_update'),
      member: fc.integer({ min: 0, max: MEMBERS }),
      baseVersion: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      repeat: fc.option(fc.nat(), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 20 },
  ),
  cuts: fc.array(fc.nat(), { maxLength: 3 }),
  hostile: fc.array(hostileKindArb, { minLength: 1, maxLength: 16 }),
  hostileCuts: fc.array(fc.nat(), { maxLength: 3 }),
  /** Where A's batches go among B's sends. */
  positions: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
});

function slices<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const bounds = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let start = 0;
  for (const end of [...bounds, items.length]) {
    if (end > start) out.push(items.slice(start, end));
    start = Math.max(start, end);
  }
  return out;
}

describe.each(consumerBackends().map((b) => [b.name, b] as const))(
  'BatchConsumer under a hostile neighbour (%s)',
  (_name, backend) => {
    let h: ConsumerHarness;
    let run = 0;
    const throwOnPoison: MessageHandler<'check_in'> = async (ctx, messages) => {
      await checkIn(ctx, messages);
      if (messages.some((m) => m.data.memberId.endsWith('a_poison'))) throw new Error('poison');
    };
    const throwOnPoisonNotes: MessageHandler<'member_update'> = async (ctx, messages) => {
      await memberUpdate(ctx, messages);
      if (messages.some((m) => m.data.changes.notes === 'poison')) throw new Error('poison');
    };
    beforeAll(async () => {
      h = await openHarness({
        backend,
        groupCommitWindowMs: 5,
        handlers: { check_in: throwOnPoison, member_update: throwOnPoisonNotes },
      });
    });
    afterAll(async () => {
      await h.cleanup();
    });

    it('gives connection B the outcomes of the sequential model whatever connection A mixes into its group', async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          prefix = `r${++run}_`;
          const setupIds = [...Array.from({ length: MEMBERS }, (_, i) => bMember(i)), aMember(), aPoison()];
          const setup = await h.send({
            member_create: setupIds.map((memberId) => ({
              id: `${prefix}setup-${memberId}`,
              data: { memberId, name: `Member ${memberId}`, plan: 'basic', expiresAt: '2027-12-31' },
            })),
          });
          expect(setup.results.member_create?.accepted).toHaveLength(setupIds.length);

          const ops: Op[] = scenario.ops.map((o, i) => {
            const earlier = o.repeat !== undefined && i > 0 ? scenario.ops[o.repeat % i] : undefined;
            const k = earlier ? scenario.ops.indexOf(earlier) : i;
            const src = earlier ?? o;
            return {
              id: `${prefix}B${k}`,
              type: src.type,
              member: src.member,
              ...(src.baseVersion ? { baseVersion: src.baseVersion } : {}),
            };
          });
          const hostile: Hostile[] = [];
          scenario.hostile.forEach((kind, i) => {
            hostile.push(hostileOf(kind, i, hostile));
          });

          const bSlices = slices(ops, scenario.cuts);
          const aSlices = slices(hostile, scenario.hostileCuts);
          type Send = { who: 'A' | 'B'; slice: number };
          const sends: Send[] = bSlices.map((_, i) => ({ who: 'B', slice: i }));
          aSlices.forEach((_, i) => {
            const at = (scenario.positions[i % scenario.positions.length] ?? 0) % (sends.length + 1);
            sends.splice(at, 0, { who: 'A', slice: i });
          });

          const before = h.consumer.stats().transactions;
          // Every call in the same turn: one group, one transaction.
          const outs = await Promise.all(
            sends.map((s) => {
              if (s.who === 'B') {
                const { batches, order } = batchOf(bSlices[s.slice]!);
                return h.send(batches, { order, clientId: 'desk-B' });
              }
              const batches: Record<string, unknown[]> = {};
              for (const x of aSlices[s.slice]!) push(batches, x.type, x.item);
              return h.send(batches, { clientId: 'desk-A' });
            }),
          );
          expect(h.consumer.stats().transactions).toBe(before + 1);

          const model = referenceModel(bSlices.flat());
          const actual: Verdict[] = [];
          sends.forEach((s, i) => {
            if (s.who !== 'B') return;
            const used = new Set<string>();
            for (const op of bSlices[s.slice]!) actual.push(verdictOf(outs[i]!, op.type, op.id, used));
          });
          expect(actual).toEqual(model.verdicts);

          sends.forEach((s, i) => {
            if (s.who !== 'A') return;
            const perType = new Map<string, number>();
            for (const x of aSlices[s.slice]!) {
              const index = perType.get(x.type) ?? 0;
              perType.set(x.type, index + 1);
              if (x.expected === undefined) continue;
              const raw = (x.item as { id?: unknown }).id;
              const id = typeof raw === 'string' ? raw : `#${index}`;
              const rejection = outs[i]!.results[x.type]?.rejected?.find((r) => r.id === id);
              expect(rejection?.code, `${x.type} ${id}`).toBe(x.expected);
            }
          });

          for (let m = 0; m < MEMBERS; m++) {
            const visits = await h.store.listVisits({ memberId: bMember(m), limit: 100 });
            expect(visits.filter((v) => v.checkedOutAt === null).length).toBe(model.open.get(m) ? 1 : 0);
            expect((await h.store.getMember(bMember(m)))?.version).toBe(model.version.get(m) ?? 1);
          }
          expect(await h.store.listVisits({ memberId: aPoison(), limit: 5 })).toEqual([]);
        }),
        { numRuns: 100 },
      );
    });
  },
);
