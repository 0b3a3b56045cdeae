import { expect, it } from 'vitest';
import { describeEachBackend, openHarness } from '../../test/support/consumer-harness.js';

const DAY_MS = 86_400_000;

/** `{a: {a: ... {}}}`, `depth` levels, built without recursion. */
function deepObject(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 0; i < depth; i++) {
    const next: Record<string, unknown> = {};
    node.a = next;
    node = next;
  }
  return root;
}

describeEachBackend('bounded input in the consumer', (h) => {
  it('refuses check_in at 9e15 alone with VALIDATION_FAILED; check-ins of another desk in the same transaction commit', async () => {
    await h.addMember('m_attacker');
    for (let i = 0; i < 5; i++) await h.addMember(`m_${i}`);
    const before = h.consumer.stats().transactions;
    const [attacker, victim] = await Promise.all([
      h.send(
        {
          check_in: [
            { id: 'p1', data: { memberId: 'm_attacker', at: 9e15 } },
            { id: 'p2', data: { memberId: 'm_attacker', at: -1 } },
          ],
        },
        { clientId: 'desk-attacker' },
      ),
      h.send(
        { check_in: Array.from({ length: 5 }, (_, i) => ({ id: `v${i}`, data: { memberId: `m_${i}` } })) },
        { clientId: 'desk-victim' },
      ),
    ]);
    expect(h.consumer.stats().transactions).toBe(before + 1);
    expect(victim.results.check_in?.accepted).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    expect(attacker.results.check_in?.rejected).toEqual([
      { id: 'p1', code: 'VALIDATION_FAILED', message: 'at: expected ms since the epoch before 2200-01-01' },
      { id: 'p2', code: 'VALIDATION_FAILED', message: expect.stringMatching(/^at: /) },
    ]);
  });

  it('refuses `at` more than 5 minutes ahead of or 7 days behind the server clock, naming the field and the window', async () => {
    await h.addMember('m_1');
    const now = h.clock.now();
    const out = await h.send({
      check_in: [{ id: 'i1', data: { memberId: 'm_1', at: now + 60 * 60_000 } }],
      check_out: [{ id: 'o1', data: { memberId: 'm_1', at: now - 8 * DAY_MS } }],
    });
    expect(out.results.check_in?.rejected).toEqual([
      {
        id: 'i1',
        code: 'VALIDATION_FAILED',
        message: "at: must be at most 5 min ahead of and 7 d behind the server's clock (it is 1 h ahead)",
      },
    ]);
    expect(out.results.check_out?.rejected?.[0]).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('(it is 8 d behind)'),
    });
    const inside = await h.send({
      check_in: [{ id: 'i2', data: { memberId: 'm_1', at: now - 7 * DAY_MS } }],
      check_out: [{ id: 'o2', data: { memberId: 'm_1', at: now + 5 * 60_000 } }],
    });
    expect(inside.results.check_in?.accepted).toEqual(['i2']);
    expect(inside.results.check_out?.accepted).toEqual(['o2']);
  });

  it('refuses a 100,000-deep client_stats.data alone; the other desks` stats are kept', async () => {
    const [deep, fine] = await Promise.all([
      h.send(
        { client_stats: [{ id: 's1', data: { batching: deepObject(100_000) } }] },
        { clientId: 'desk-a' },
      ),
      h.send(
        { client_stats: [{ id: 's2', data: { state: 'open', reconnects: 1 } }] },
        { clientId: 'desk-b' },
      ),
    ]);
    expect(deep.results.client_stats?.rejected?.[0]?.code).toBe('VALIDATION_FAILED');
    expect(fine.results.client_stats?.accepted).toEqual(['s2']);
    expect((await h.store.listClientStats()).map((r) => [r.clientId, r.stats])).toEqual([
      ['desk-b', { state: 'open', reconnects: 1 }],
    ]);
  });

  it('keeps only the known, bounded fields of client_stats', async () => {
    const out = await h.send({
      client_stats: [
        { id: 's1', data: { state: 'open', junk: 'z'.repeat(50_000), latencyMs: { avg: 3, x: 1 } } },
      ],
    });
    expect(out.results.client_stats?.accepted).toEqual(['s1']);
    const [row] = await h.store.listClientStats();
    expect(row?.stats).toEqual({ state: 'open', latencyMs: { avg: 3 } });
  });

  it('refuses impossible dates and control characters in member data with VALIDATION_FAILED', async () => {
    await h.addMember('m_1');
    const base = { name: 'Ada', plan: 'basic', expiresAt: '2027-01-31' };
    const out = await h.send({
      member_create: [
        { id: 'c1', data: { ...base, expiresAt: '2027-02-30' } },
        { id: 'c2', data: { ...base, name: 'Ada\u0000' } },
        { id: 'c3', data: { ...base, expiresAt: '99999-99-99' } },
        { id: 'c4', data: base },
      ],
      member_update: [
        { id: 'u1', data: { memberId: 'm_1', changes: { expiresAt: '2027-13-01' } } },
        { id: 'u2', data: { memberId: 'm_1', changes: { notes: 'nul\u0000' } } },
        { id: 'u3', data: { memberId: 'm_1', changes: { notes: 'two\nlines' }, baseVersion: 1 } },
      ],
    });
    expect(out.results.member_create?.accepted).toEqual(['c4']);
    expect(out.results.member_create?.rejected?.map((r) => [r.id, r.code])).toEqual([
      ['c1', 'VALIDATION_FAILED'],
      ['c2', 'VALIDATION_FAILED'],
      ['c3', 'VALIDATION_FAILED'],
    ]);
    expect(out.results.member_update?.accepted).toEqual(['u3']);
    expect(out.results.member_update?.rejected?.map((r) => r.message)).toEqual([
      'changes.expiresAt: expected a real date in 1900-2200',
      'changes.notes: must not contain control characters',
    ]);
  });

  it('refuses a message id with a control character, and does not record unknown types', async () => {
    const out = await h.send({
      check_in: [{ id: 'bad\u0000id', data: { memberId: 'm_1' } }],
      teleport: [{ id: 't1', data: {} }],
    });
    expect(out.results.check_in?.rejected?.[0]).toMatchObject({ id: '#0', code: 'VALIDATION_FAILED' });
    expect(out.results.teleport?.rejected?.[0]).toMatchObject({ id: 't1', code: 'UNKNOWN_TYPE' });
    // (the NUL id is never looked up: PostgreSQL refuses NUL in a query parameter, which is why
    // planCall rejects it before the idempotency lookup)
    const stored = await h.store.transaction((tx) => tx.findProcessed(['t1']));
    expect(stored.size).toBe(0);
  });
});

it('takes the window for `at` from the consumer options', async () => {
  const h = await openHarness({ clientTimeWindow: { maxFutureMs: 1_000, maxPastMs: 60_000 } });
  try {
    await h.addMember('m_1');
    const now = h.clock.now();
    const out = await h.send({
      check_in: [
        { id: 'i1', data: { memberId: 'm_1', at: now + 2_000 } },
        { id: 'i2', data: { memberId: 'm_1', at: now - 61_000 } },
        { id: 'i3', data: { memberId: 'm_1', at: now - 59_000 } },
      ],
    });
    expect(out.results.check_in?.accepted).toEqual(['i3']);
    expect(out.results.check_in?.rejected?.map((r) => r.message)).toEqual([
      "at: must be at most 1 s ahead of and 1 min behind the server's clock (it is 2 s ahead)",
      "at: must be at most 1 s ahead of and 1 min behind the server's clock (it is 1 min behind)",
    ]);
  } finally {
    await h.cleanup();
  }
});
