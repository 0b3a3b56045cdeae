import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/consumer-harness.js';

describeEachBackend('check_in handler', (h) => {
  it('opens a visit, answers its visitId and publishes check_in.created', async () => {
    await h.addMember('m_1');
    const out = await h.send({ check_in: [{ id: 'c1', data: { memberId: 'm_1', deskId: 'desk-7' } }] });
    expect(out.results.check_in?.accepted).toEqual(['c1']);
    const visitId = out.results.check_in?.info?.c1?.visitId;
    expect(visitId).toMatch(/^v_[0-9A-Z]{26}$/);
    const [visit] = await h.store.listVisits({ memberId: 'm_1', open: true, limit: 5 });
    expect(visit).toMatchObject({
      id: visitId,
      deskId: 'desk-7',
      memberName: 'Member m_1',
      checkedOutAt: null,
    });
    const created = out.events.find((e) => e.name === 'check_in.created');
    expect(created).toMatchObject({
      topic: 'check_ins',
      data: { visitId, memberId: 'm_1', deskId: 'desk-7' },
    });
    expect((await h.store.getMember('m_1'))?.lastVisitAt).toBe(visit?.checkedInAt);
  });

  it('rejects an unknown member with MEMBER_NOT_FOUND', async () => {
    const out = await h.send({ check_in: [{ id: 'c1', data: { memberId: 'm_nobody' } }] });
    expect(out.results.check_in?.rejected).toEqual([
      { id: 'c1', code: 'MEMBER_NOT_FOUND', message: expect.stringContaining('m_nobody') },
    ]);
  });

  it('rejects frozen and expired memberships with MEMBERSHIP_INACTIVE and a reason', async () => {
    await h.addMember('m_frozen', { status: 'frozen' });
    await h.addMember('m_lapsed', { expiresAt: '2026-11-01' });
    await h.addMember('m_expired', { status: 'expired', expiresAt: '2026-10-15' });
    const out = await h.send({
      check_in: [
        { id: 'a', data: { memberId: 'm_frozen' } },
        { id: 'b', data: { memberId: 'm_lapsed' } },
        { id: 'c', data: { memberId: 'm_expired' } },
      ],
    });
    expect(out.results.check_in?.accepted).toEqual([]);
    // The same codes and words as before alerts; the alerts now come along as `data`.
    expect(out.results.check_in?.rejected?.map(({ id, code, message }) => ({ id, code, message }))).toEqual([
      { id: 'a', code: 'MEMBERSHIP_INACTIVE', message: 'membership is frozen' },
      { id: 'b', code: 'MEMBERSHIP_INACTIVE', message: 'membership expired on 2026-11-01' },
      { id: 'c', code: 'MEMBERSHIP_INACTIVE', message: 'membership expired on 2026-10-15' },
    ]);
  });

  it('accepts a membership on its last day', async () => {
    await h.addMember('m_last', { expiresAt: '2026-11-26' });
    const out = await h.send({ check_in: [{ id: 'c1', data: { memberId: 'm_last' } }] });
    expect(out.results.check_in?.accepted).toEqual(['c1']);
  });

  it('rejects a second check-in of the same member with ALREADY_CHECKED_IN, in one batch and across batches', async () => {
    await h.addMember('m_1');
    const first = await h.send({
      check_in: [
        { id: 'c1', data: { memberId: 'm_1' } },
        { id: 'c2', data: { memberId: 'm_1' } },
      ],
    });
    expect(first.results.check_in?.accepted).toEqual(['c1']);
    expect(first.results.check_in?.rejected?.map((r) => [r.id, r.code])).toEqual([
      ['c2', 'ALREADY_CHECKED_IN'],
    ]);
    const second = await h.send({ check_in: [{ id: 'c3', data: { memberId: 'm_1' } }] });
    expect(second.results.check_in?.rejected?.[0]?.code).toBe('ALREADY_CHECKED_IN');
    expect(await h.store.listVisits({ memberId: 'm_1', limit: 10 })).toHaveLength(1);
  });

  it('uses the client time `at` as the check-in time', async () => {
    await h.addMember('m_1');
    const at = h.clock.now() - 60_000;
    await h.send({ check_in: [{ id: 'c1', data: { memberId: 'm_1', at } }] });
    const [visit] = await h.store.listVisits({ memberId: 'm_1', limit: 1 });
    expect(visit?.checkedInAt).toBe(at);
  });
});
