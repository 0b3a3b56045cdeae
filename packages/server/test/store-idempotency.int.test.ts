import type { TypeResult } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, memberCreate, newId, startServer, TestClient, type TestServer } from './helpers.js';

type Ack = { type: 'ack'; seq: number; results: Record<string, TypeResult> };

describe('message ids reused for another message (idempotency keys)', () => {
  let t: TestServer;
  let desk: TestClient;
  let seq = 0;
  const sendBatch = async (c: TestClient, batches: Record<string, unknown[]>) => {
    const s = ++seq;
    c.send({ type: 'batch', seq: s, batches });
    return (await c.next((f) => f.type === 'ack' && f.seq === s)) as unknown as Ack;
  };
  const single = async (c: TestClient, type: string, id: string, data: unknown) => {
    const from = c.frames.length;
    c.send({ type, id, data });
    return c.next((f) => f.type === 'ack' && f.id === id, 5000, from);
  };
  const openVisits = async (memberId: string) =>
    (await api<{ visits: unknown[] }>(t.url, `/api/visits?memberId=${memberId}&open=true`)).body.visits;

  beforeAll(async () => {
    t = await startServer();
    desk = new TestClient(t.wsUrl);
    await desk.hello({ clientId: 'desk-1' });
    const created = await sendBatch(desk, { member_create: [memberCreate('m_ada'), memberCreate('m_bob')] });
    expect(created.results.member_create?.accepted).toHaveLength(2);
  });
  afterAll(async () => {
    await desk.close();
    await t.stop();
  });

  it('refuses an id sent again for another member with ID_REUSED and applies nothing; the true resend is a duplicate', async () => {
    const id = newId('in');
    const first = await sendBatch(desk, { check_in: [{ id, data: { memberId: 'm_ada' } }] });
    expect(first.results.check_in?.accepted).toEqual([id]);

    const reused = await sendBatch(desk, { check_in: [{ id, data: { memberId: 'm_bob' } }] });
    expect(reused.results.check_in?.accepted).toEqual([]);
    expect(reused.results.check_in?.duplicates ?? []).toEqual([]);
    expect(reused.results.check_in?.rejected).toMatchObject([{ id, code: 'ID_REUSED' }]);
    expect(await openVisits('m_bob')).toEqual([]);

    const resent = await sendBatch(desk, { check_in: [{ id, data: { memberId: 'm_ada' } }] });
    expect(resent.results.check_in).toMatchObject({ accepted: [], duplicates: [id] });
    expect(await openVisits('m_ada')).toHaveLength(1);
  });

  it('scopes ids globally: a reloaded desk (new clientId) resending its outbox gets duplicates, not a second write', async () => {
    const id = newId('out');
    const first = await sendBatch(desk, { check_out: [{ id, data: { memberId: 'm_ada' } }] });
    expect(first.results.check_out?.accepted).toEqual([id]);
    const reloaded = new TestClient(t.wsUrl);
    try {
      await reloaded.hello({ clientId: 'desk-1-after-reload' });
      const again = await sendBatch(reloaded, { check_out: [{ id, data: { memberId: 'm_ada' } }] });
      expect(again.results.check_out).toMatchObject({ accepted: [], duplicates: [id] });
      const otherType = await sendBatch(reloaded, { check_in: [{ id, data: { memberId: 'm_ada' } }] });
      expect(otherType.results.check_in?.rejected).toMatchObject([{ id, code: 'ID_REUSED' }]);
    } finally {
      await reloaded.close();
    }
    expect(await openVisits('m_ada')).toEqual([]);
  });

  it('answers a single-message frame reusing an id with ok:false ID_REUSED', async () => {
    const id = newId('upd');
    const ok = await single(desk, 'member_update', id, { memberId: 'm_bob', changes: { notes: 'first' } });
    expect(ok).toMatchObject({ ok: true });
    const reused = await single(desk, 'member_update', id, {
      memberId: 'm_bob',
      changes: { notes: 'second' },
    });
    expect(reused).toMatchObject({ ok: false, code: 'ID_REUSED' });
    const member = await api<{ notes: string; version: number }>(t.url, '/api/members/m_bob');
    expect(member.body).toMatchObject({ notes: 'first', version: 2 });
    const dup = await single(desk, 'member_update', id, { memberId: 'm_bob', changes: { notes: 'first' } });
    expect(dup).toMatchObject({ ok: true, duplicate: true });
  });
});
