import type { TypeResult } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, memberCreate, newId, startServer, TestClient, type TestServer } from './helpers.js';

type Ack = { type: 'ack'; seq: number; results: Record<string, TypeResult> };

describe('batches', () => {
  let t: TestServer;
  let c: TestClient;
  let seq = 0;
  const sendBatch = async (batches: Record<string, unknown[]>, order?: [string, number][]) => {
    const s = ++seq;
    c.send({ type: 'batch', seq: s, batches, ...(order ? { order } : {}) });
    return (await c.next((f) => f.type === 'ack' && f.seq === s)) as unknown as Ack;
  };

  beforeAll(async () => {
    t = await startServer({ limits: { maxFrameBytes: 1_048_576, maxBatchSize: 20, maxInFlight: 1 } });
    c = new TestClient(t.wsUrl);
    await c.hello();
  });
  afterAll(async () => {
    await c.close();
    await t.stop();
  });

  it('acks a mixed batch per type: valid messages accepted, invalid ones rejected with their code', async () => {
    const create = memberCreate('m_mixed');
    const badCreate = { id: newId(), data: { plan: 'standard', expiresAt: '2099-01-01' } };
    const checkIn = { id: newId(), data: { memberId: 'm_mixed', deskId: 'desk-1' } };
    const ghost = { id: newId(), data: { memberId: 'm_nobody' } };
    const teleport = { id: newId(), data: {} };
    const ack = await sendBatch({
      member_create: [create, badCreate],
      check_in: [checkIn, ghost],
      teleport: [teleport],
    });
    expect(ack.results.member_create?.accepted).toEqual([create.id]);
    expect(ack.results.member_create?.rejected).toMatchObject([
      { id: badCreate.id, code: 'VALIDATION_FAILED' },
    ]);
    expect(ack.results.check_in?.accepted).toEqual([checkIn.id]);
    expect(ack.results.check_in?.rejected).toMatchObject([{ id: ghost.id, code: 'MEMBER_NOT_FOUND' }]);
    expect(ack.results.teleport?.rejected).toMatchObject([{ id: teleport.id, code: 'UNKNOWN_TYPE' }]);
    const visits = await api<{ visits: unknown[] }>(t.url, '/api/visits?memberId=m_mixed');
    expect(visits.body.visits).toHaveLength(1);
  });

  it('answers a resent batch with duplicates and changes nothing', async () => {
    const create = memberCreate('m_resend');
    const checkIn = { id: newId(), data: { memberId: 'm_resend' } };
    const batches = { member_create: [create], check_in: [checkIn] };
    const first = await sendBatch(batches);
    expect(first.results.check_in?.accepted).toEqual([checkIn.id]);
    const before = await api(t.url, '/api/occupancy');
    const again = await sendBatch(batches);
    expect(again.results.member_create).toMatchObject({ accepted: [], duplicates: [create.id] });
    expect(again.results.check_in).toMatchObject({ accepted: [], duplicates: [checkIn.id] });
    expect((await api(t.url, '/api/occupancy')).body).toEqual(before.body);
    const visits = await api<{ visits: unknown[] }>(t.url, '/api/visits?memberId=m_resend');
    expect(visits.body.visits).toHaveLength(1);
  });

  it('applies in/out/in of one member in enqueue order when the order hint says so', async () => {
    await sendBatch({ member_create: [memberCreate('m_order')] });
    const in1 = { id: newId(), data: { memberId: 'm_order' } };
    const out = { id: newId(), data: { memberId: 'm_order' } };
    const in2 = { id: newId(), data: { memberId: 'm_order' } };
    const ack = await sendBatch({ check_in: [in1, in2], check_out: [out] }, [
      ['check_in', 1],
      ['check_out', 1],
      ['check_in', 1],
    ]);
    expect(ack.results.check_in?.accepted).toEqual([in1.id, in2.id]);
    expect(ack.results.check_out?.accepted).toEqual([out.id]);
    const open = await api<{ visits: unknown[] }>(t.url, '/api/visits?memberId=m_order&open=true');
    expect(open.body.visits).toHaveLength(1);
  });

  it('acks a single-message frame with ok, info, code and duplicate', async () => {
    await sendBatch({ member_create: [memberCreate('m_single')] });
    const id = newId();
    c.send({ type: 'check_in', id, data: { memberId: 'm_single' } });
    const ok = await c.next((f) => f.type === 'ack' && f.id === id);
    expect(ok).toMatchObject({ ok: true });
    c.send({ type: 'check_in', id, data: { memberId: 'm_single' } });
    await c.next((f) => f.type === 'ack' && f.id === id && f.duplicate === true);
    const second = newId();
    c.send({ type: 'check_in', id: second, data: { memberId: 'm_single' } });
    expect(await c.next((f) => f.type === 'ack' && f.id === second)).toMatchObject({
      ok: false,
      code: 'ALREADY_CHECKED_IN',
    });
  });

  it('refuses a batch over maxBatchSize with BATCH_TOO_LARGE and handles nothing of it', async () => {
    const items = Array.from({ length: 21 }, () => memberCreate(`m_big_${newId()}`));
    c.send({ type: 'batch', seq: 999, batches: { member_create: items } });
    expect(await c.next((f) => f.type === 'error' && f.ref === 999)).toMatchObject({
      code: 'BATCH_TOO_LARGE',
    });
    const found = await api<{ members: unknown[] }>(t.url, '/api/members?q=m_big');
    expect(found.body.members).toHaveLength(0);
  });

  it('refuses batches beyond maxInFlight with TOO_MANY_IN_FLIGHT', async () => {
    const a = ++seq;
    const b = ++seq;
    c.send({ type: 'batch', seq: a, batches: { client_stats: [{ id: newId(), data: {} }] } });
    c.send({ type: 'batch', seq: b, batches: { client_stats: [{ id: newId(), data: {} }] } });
    expect(await c.next((f) => f.type === 'error' && f.ref === b)).toMatchObject({
      code: 'TOO_MANY_IN_FLIGHT',
    });
    await c.next((f) => f.type === 'ack' && f.seq === a);
  });
});
