import { describe, expect, it } from 'vitest';
import { groupByType, planCall, replayOutcome, splitPhases } from './plan-batch.js';

const msg = (type: string, memberId?: string) => ({ type, data: memberId === undefined ? {} : { memberId } });

describe('splitPhases', () => {
  it('keeps messages of different members in one phase', () => {
    const phases = splitPhases([msg('check_in', 'a'), msg('check_out', 'b'), msg('member_update', 'c')]);
    expect(phases).toHaveLength(1);
  });

  it('starts a new phase when another type touches a member of the current phase', () => {
    const list = [msg('check_in', 'a'), msg('check_in', 'b'), msg('check_out', 'a'), msg('check_in', 'a')];
    const phases = splitPhases(list);
    expect(phases.map((p) => p.length)).toEqual([2, 1, 1]);
    expect(phases.flat()).toEqual(list);
  });

  it('phases per member: each member moves on alone, so alternating members share phases', () => {
    const inA = msg('check_in', 'a');
    const outA = msg('check_out', 'a');
    const inB = msg('check_in', 'b');
    const updB = msg('member_update', 'b');
    const outB = msg('check_out', 'b');
    expect(splitPhases([inA, outA, inB, updB, outB])).toEqual([[inA, inB], [outA, updB], [outB]]);
  });

  it('keeps two creates asking for one membership number in enqueue order', () => {
    const create = (memberId: string | undefined, membershipNumber: string) => ({
      type: 'member_create',
      data: memberId === undefined ? { membershipNumber } : { memberId, membershipNumber },
    });
    const first = create('x', '500');
    const second = create(undefined, '500');
    // x was checked in before it existed: its create goes to phase 1, and the create that asked
    // for the same number after it must not overtake it.
    const phases = splitPhases([msg('check_in', 'x'), first, second]);
    expect(phases.map((p) => p.length)).toEqual([1, 2]);
    expect(phases[1]).toEqual([first, second]);
  });

  it('lets one type touch a member repeatedly within a phase, and ignores keyless messages', () => {
    const phases = splitPhases([
      msg('member_update', 'a'),
      msg('member_update', 'a'),
      msg('client_stats'),
      msg('member_create'),
      msg('check_in', 'b'),
    ]);
    expect(phases).toHaveLength(1);
  });
});

describe('groupByType', () => {
  it('groups by type in order of first appearance, keeping order within a type', () => {
    const a1 = msg('check_in', '1');
    const b1 = msg('client_stats');
    const a2 = msg('check_in', '2');
    expect([...groupByType([a1, b1, a2])]).toEqual([
      ['check_in', [a1, a2]],
      ['client_stats', [b1]],
    ]);
  });
});

describe('planCall', () => {
  it('orders entries by the hint and rejects envelopes without a usable id under #index', () => {
    const plan = planCall(
      {
        clientId: 'desk-1',
        batches: {
          check_in: [
            { id: 'i1', data: 1 },
            { id: 'x'.repeat(65), data: 2 },
          ],
          check_out: [{ id: 'o1' }],
        },
        order: [
          ['check_in', 1],
          ['check_out', 1],
          ['check_in', 1],
        ],
      },
      3,
    );
    expect(plan.entries.map((e) => [e.type, e.id, e.outcome?.status])).toEqual([
      ['check_in', 'i1', undefined],
      ['check_out', 'o1', undefined],
      ['check_in', '#1', 'rejected'],
    ]);
    expect(plan.entries.every((e) => e.call === 3 && e.clientId === 'desk-1')).toBe(true);
  });

  it('treats a non-array type list as empty', () => {
    const plan = planCall({ clientId: 'd', batches: { check_in: 'nope' as unknown as unknown[] } }, 0);
    expect(plan.entries).toEqual([]);
  });
});

describe('replayOutcome', () => {
  it('turns an accepted record into a duplicate and repeats a rejection without recording it again', () => {
    expect(replayOutcome({ status: 'accepted', info: { visitId: 'v_1' } })).toEqual({
      status: 'duplicate',
      info: { visitId: 'v_1' },
    });
    expect(replayOutcome({ status: 'rejected', code: 'NOT_CHECKED_IN', message: 'no' })).toEqual({
      status: 'rejected',
      code: 'NOT_CHECKED_IN',
      message: 'no',
      record: false,
    });
  });
});
