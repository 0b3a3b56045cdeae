import { AuditQuery, CHECK_IN_ALERT_TYPES, type CheckInAlertType } from '@av-gym/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumerBackends } from '../../../test/support/consumer-backends.js';
import { type ConsumerHarness, openHarness } from '../../../test/support/consumer-harness.js';
import type { HandlerContext, MessageHandler } from '../handler-context.js';
import type { Actor } from '../types.js';
import { createCheckIn } from './check-in.js';
import { type CheckInAlertPolicy, isBirthday } from './check-in-alerts.js';

// TEST_NOW is 2026-11-26 15:00 UTC.
const ACTORS: Record<string, Actor> = {
  'desk-manager': { username: 'maria', role: 'manager', deskId: 'desk-manager' },
  'desk-clerk': { username: 'dan', role: 'desk', deskId: 'desk-clerk' },
  // A role this server does not know (a newer database, a forged value) may do nothing.
  'desk-odd': { username: 'eve', role: 'janitor' as Actor['role'], deskId: 'desk-odd' },
};

/** Counts the store calls of each check_in handler call: they must not grow with the batch. */
function counting(handler: MessageHandler<'check_in'>, calls: number[]): MessageHandler<'check_in'> {
  return (ctx, messages) => {
    let n = 0;
    const tx = new Proxy(ctx.tx, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          n += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const counted = new Proxy(ctx, {
      get(target, key) {
        if (key === 'tx') return tx;
        const value = Reflect.get(target, key, target);
        // Bound: the scope's methods use private fields, which a proxy as `this` cannot reach.
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as HandlerContext;
    return handler(counted, messages).finally(() => calls.push(n));
  };
}

describe.each(consumerBackends().map((b) => [b.name, b] as const))(
  'check-in alerts (%s)',
  (_name, backend) => {
    const h = {} as ConsumerHarness;
    const storeCalls: number[] = [];
    let policy: CheckInAlertPolicy;

    async function open(blocking: CheckInAlertType[], passBackMinutes = 10) {
      policy = { blocking: new Set(blocking), passBackMs: passBackMinutes * 60_000 };
      const handler = createCheckIn({ policy });
      Object.assign(h, await openHarness({ backend, handlers: { check_in: counting(handler, storeCalls) } }));
    }

    beforeEach(() => {
      storeCalls.length = 0;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    async function checkIn(memberId: string, extra: Record<string, unknown> = {}, clientId = 'desk-1') {
      const actor = ACTORS[clientId];
      const out = await h.send(
        { check_in: [{ id: `c-${memberId}-${Math.random()}`, data: { memberId, ...extra } }] },
        {
          clientId,
          ...(actor ? { actor } : {}),
        },
      );
      const result = out.results.check_in!;
      const id = Object.keys(result.info ?? {})[0] ?? result.accepted[0] ?? result.rejected?.[0]?.id;
      return { out, result, info: id ? result.info?.[id] : undefined, rejected: result.rejected?.[0] };
    }

    it('sends every alert type, informational by default, with the outcome and in the event', async () => {
      await open(['expired', 'frozen']);
      await h.addMember('m_all', {
        expiresAt: '2026-11-30',
        balanceDueCents: 1250,
        dateOfBirth: '1990-11-26',
        alertNote: 'ask about the locker key',
      });
      const first = await checkIn('m_all');
      expect(first.result.accepted).toHaveLength(1);
      const types = ((first.info?.alerts ?? []) as { type: string }[]).map((a) => a.type);
      expect(types).toEqual(['expiring_soon', 'balance_due', 'waiver_missing', 'staff_note', 'birthday']);
      expect(first.info?.alerts).toContainEqual({
        type: 'expiring_soon',
        blocking: false,
        text: 'membership expires on 2026-11-30 (in 4 days)',
      });
      expect(first.info?.alerts).toContainEqual({
        type: 'balance_due',
        blocking: false,
        text: 'balance due: 12.50',
      });
      expect(first.info?.alerts).toContainEqual({
        type: 'staff_note',
        blocking: false,
        text: 'staff note: ask about the locker key',
      });
      const event = first.out.events.find((e) => e.name === 'check_in.created');
      expect(event?.data).toMatchObject({ memberId: 'm_all', alerts: first.info?.alerts });
      expect(event?.data).not.toHaveProperty('override');

      await h.send({ check_out: [{ id: 'o1', data: { memberId: 'm_all' } }] });
      h.clock.set(h.clock.now() + 4 * 60_000);
      const again = await checkIn('m_all');
      expect(again.info?.alerts).toContainEqual({
        type: 'pass_back',
        blocking: false,
        text: 'entered 4 min ago: card used again (pass-back?)',
      });
    });

    it('sends no alerts for a member with nothing to flag, and no pass-back after the window', async () => {
      await open(['expired', 'frozen'], 5);
      await h.addMember('m_clean', { waiverSignedAt: '2026-01-10', dateOfBirth: '1990-03-02' });
      const first = await checkIn('m_clean');
      expect(first.info).not.toHaveProperty('alerts');
      await h.send({ check_out: [{ id: 'o1', data: { memberId: 'm_clean' } }] });
      h.clock.set(h.clock.now() + 5 * 60_000);
      const later = await checkIn('m_clean');
      expect(later.result.accepted).toHaveLength(1);
      expect(later.info).not.toHaveProperty('alerts');
    });

    it('keeps MEMBERSHIP_INACTIVE for expired and frozen members, now with the alerts as data', async () => {
      await open(['expired', 'frozen']);
      await h.addMember('m_frozen', { status: 'frozen', waiverSignedAt: '2026-01-01' });
      await h.addMember('m_lapsed', { expiresAt: '2026-11-01', waiverSignedAt: '2026-01-01' });
      const frozen = await checkIn('m_frozen');
      expect(frozen.rejected).toEqual({
        id: expect.any(String),
        code: 'MEMBERSHIP_INACTIVE',
        message: 'membership is frozen',
        data: {
          alerts: [{ type: 'frozen', blocking: true, text: 'membership is frozen' }],
          reasons: [{ code: 'MEMBERSHIP_INACTIVE', text: 'membership is frozen', overridable: true }],
        },
      });
      const lapsed = await checkIn('m_lapsed');
      expect(lapsed.rejected).toMatchObject({
        code: 'MEMBERSHIP_INACTIVE',
        message: 'membership expired on 2026-11-01',
      });
    });

    it('refuses a configured blocking alert with CHECK_IN_BLOCKED, listing every alert', async () => {
      await open(['expired', 'frozen', 'balance_due', 'waiver_missing']);
      await h.addMember('m_owes', { balanceDueCents: 4000 });
      const out = await checkIn('m_owes');
      expect(out.result.accepted).toEqual([]);
      expect(out.rejected?.code).toBe('CHECK_IN_BLOCKED');
      expect(out.rejected?.message).toBe('balance due: 40.00; no signed waiver on file');
      expect((out.rejected?.data as { alerts: unknown[] } | undefined)?.alerts).toEqual([
        { type: 'balance_due', blocking: true, text: 'balance due: 40.00' },
        { type: 'waiver_missing', blocking: true, text: 'no signed waiver on file' },
      ]);
      expect(await h.store.listVisits({ memberId: 'm_owes', limit: 5 })).toEqual([]);
    });

    it('blocks a pass-back when configured to', async () => {
      await open(['pass_back']);
      await h.addMember('m_pb', { waiverSignedAt: '2026-01-01' });
      expect((await checkIn('m_pb')).result.accepted).toHaveLength(1);
      await h.send({ check_out: [{ id: 'o1', data: { memberId: 'm_pb' } }] });
      h.clock.set(h.clock.now() + 60_000);
      const again = await checkIn('m_pb');
      expect(again.rejected).toMatchObject({
        code: 'CHECK_IN_BLOCKED',
        message: expect.stringContaining('pass-back'),
      });
    });

    it('lets a manager override blocking alerts with a reason, stored on the visit and sent to every desk', async () => {
      await open(['expired', 'frozen', 'balance_due']);
      await h.addMember('m_owes', { balanceDueCents: 999, waiverSignedAt: '2026-01-01' });
      const out = await checkIn(
        'm_owes',
        { override: { reason: 'paid in cash at the desk' } },
        'desk-manager',
      );
      expect(out.result.accepted).toHaveLength(1);
      expect(out.info).toMatchObject({
        alerts: [{ type: 'balance_due', blocking: true }],
        override: { reason: 'paid in cash at the desk', by: 'maria' },
      });
      const event = out.out.events.find((e) => e.name === 'check_in.created');
      expect(event?.data).toMatchObject({ override: { reason: 'paid in cash at the desk', by: 'maria' } });
      const [visit] = await h.store.listVisits({ memberId: 'm_owes', limit: 5 });
      expect(visit).toMatchObject({ override: { reason: 'paid in cash at the desk', by: 'maria' } });
      const audit = await h.store.queryAudit(AuditQuery.parse({ member: 'm_owes' }));
      expect(audit.entries.find((e) => e.action === 'alert_override')).toMatchObject({
        staff: 'maria',
        deskId: 'desk-manager',
        reason: 'paid in cash at the desk',
        after: { visitId: visit?.id, overridden: ['CHECK_IN_BLOCKED'], alerts: ['balance_due'] },
      });
      expect(audit.entries.find((e) => e.action === 'check_in')).toMatchObject({ staff: 'maria' });
    });

    it('overrides an expired membership too, and records no override when nothing blocked', async () => {
      await open(['expired', 'frozen']);
      await h.addMember('m_lapsed', { expiresAt: '2026-11-01', waiverSignedAt: '2026-01-01' });
      await h.addMember('m_fine', { waiverSignedAt: '2026-01-01' });
      const lapsed = await checkIn(
        'm_lapsed',
        { override: { reason: 'renewal paid, system down' } },
        'desk-manager',
      );
      expect(lapsed.result.accepted).toHaveLength(1);
      const fine = await checkIn('m_fine', { override: { reason: 'no reason needed' } }, 'desk-manager');
      expect(fine.result.accepted).toHaveLength(1);
      expect(fine.info).not.toHaveProperty('override');
      const [visit] = await h.store.listVisits({ memberId: 'm_fine', limit: 5 });
      expect(visit).not.toHaveProperty('override');
    });

    it('refuses an override from the desk role, or from an unknown role, with FORBIDDEN and writes nothing', async () => {
      await open(['expired', 'frozen', 'balance_due']);
      await h.addMember('m_owes', { balanceDueCents: 999, waiverSignedAt: '2026-01-01' });
      const clerk = await checkIn('m_owes', { override: { reason: 'trust me' } }, 'desk-clerk');
      expect(clerk.rejected).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining('desk role'),
      });
      const odd = await checkIn('m_owes', { override: { reason: 'trust me' } }, 'desk-odd');
      expect(odd.rejected?.code).toBe('FORBIDDEN');
      expect(await h.store.listVisits({ memberId: 'm_owes', limit: 5 })).toEqual([]);
      expect(clerk.out.events).toEqual([]);
      const audit = await h.store.queryAudit(AuditQuery.parse({ member: 'm_owes' }));
      expect(audit.entries.filter((e) => e.action === 'check_in' || e.action === 'alert_override')).toEqual(
        [],
      );
    });

    it('refuses an override without a usable reason as VALIDATION_FAILED', async () => {
      await open(['expired', 'frozen']);
      await h.addMember('m_1');
      for (const override of [{}, { reason: '' }, { reason: 'x'.repeat(301) }, { reason: 'a\u0000b' }]) {
        const out = await checkIn('m_1', { override }, 'desk-manager');
        expect(out.rejected?.code).toBe('VALIDATION_FAILED');
      }
    });

    it('loads what alerts need in the same few store calls, whatever the batch size', async () => {
      await open(['expired', 'frozen', 'balance_due']);
      const ids = Array.from({ length: 20 }, (_, i) => `m_${i}`);
      for (const [i, id] of ids.entries())
        await h.addMember(id, {
          balanceDueCents: i % 2 ? 100 : 0,
          dateOfBirth: '2000-11-26',
          alertNote: 'n',
        });
      await h.send({ check_in: [{ id: 'one', data: { memberId: 'm_0' } }] });
      await h.send({
        check_in: ids.slice(1).map((memberId, i) => ({ id: `many-${i}`, data: { memberId } })),
      });
      expect(storeCalls).toHaveLength(2);
      expect(storeCalls[1]).toBe(storeCalls[0]);
    });
  },
);

describe('isBirthday', () => {
  it('matches month and day, and 29 February on the 28th of a common year', () => {
    expect(isBirthday('1990-11-26', '2026-11-26')).toBe(true);
    expect(isBirthday('1990-11-25', '2026-11-26')).toBe(false);
    expect(isBirthday('2000-02-29', '2027-02-28')).toBe(true);
    expect(isBirthday('2000-02-29', '2028-02-28')).toBe(false);
    expect(isBirthday('2000-02-29', '2028-02-29')).toBe(true);
  });
});

it('knows every alert type the protocol names', () => {
  expect(CHECK_IN_ALERT_TYPES).toHaveLength(8);
});
