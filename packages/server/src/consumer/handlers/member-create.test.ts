import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/consumer-harness.js';

const base = { name: 'Ada Lovelace', plan: 'premium', expiresAt: '2027-06-30' };

describeEachBackend('member_create handler', (h) => {
  it('generates an m_ id and a 6-digit membership number when absent', async () => {
    const out = await h.send({
      member_create: [
        { id: 'n1', data: { ...base, email: 'ada@example.com' } },
        { id: 'n2', data: { ...base, name: 'Grace Hopper' } },
      ],
    });
    expect(out.results.member_create?.accepted).toEqual(['n1', 'n2']);
    const info1 = out.results.member_create?.info?.n1 as { memberId: string; membershipNumber: string };
    const info2 = out.results.member_create?.info?.n2 as { memberId: string; membershipNumber: string };
    expect(info1.memberId).toMatch(/^m_[0-9A-Z]{26}$/);
    expect(info1.membershipNumber).toMatch(/^\d{6}$/);
    expect(info2.membershipNumber).not.toBe(info1.membershipNumber);
    const member = await h.store.getMember(info1.memberId);
    expect(member).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: null,
      plan: 'premium',
      status: 'active',
      version: 1,
      notes: '',
      lastVisitAt: null,
    });
    expect(out.events.filter((e) => e.name === 'member.created')).toHaveLength(2);
  });

  it('rejects a taken id or membership number with DUPLICATE_MEMBER', async () => {
    await h.send({
      member_create: [{ id: 'n1', data: { ...base, memberId: 'm_ada', membershipNumber: '777001' } }],
    });
    const out = await h.send({
      member_create: [
        { id: 'n2', data: { ...base, memberId: 'm_ada' } },
        { id: 'n3', data: { ...base, membershipNumber: '777001' } },
        { id: 'n4', data: { ...base, memberId: 'm_new', membershipNumber: '777002' } },
        { id: 'n5', data: { ...base, membershipNumber: '777002' } },
      ],
    });
    expect(out.results.member_create?.accepted).toEqual(['n4']);
    expect(out.results.member_create?.rejected?.map((r) => [r.id, r.code])).toEqual([
      ['n2', 'DUPLICATE_MEMBER'],
      ['n3', 'DUPLICATE_MEMBER'],
      ['n5', 'DUPLICATE_MEMBER'],
    ]);
  });

  it('skips generated numbers a client already chose', async () => {
    const seeded = await h.send({ member_create: [{ id: 'n0', data: base }] });
    const taken = Number(seeded.results.member_create?.info?.n0?.membershipNumber);
    await h.send({ member_create: [{ id: 'n1', data: { ...base, membershipNumber: String(taken + 1) } }] });
    const out = await h.send({ member_create: [{ id: 'n2', data: base }] });
    expect(out.results.member_create?.info?.n2?.membershipNumber).toBe(String(taken + 2));
  });
});
