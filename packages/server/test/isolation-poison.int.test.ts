import type { TypeResult } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, memberCreate, startServer, TestClient, type TestServer } from './helpers.js';

type Ack = { type: 'ack'; seq: number; results: Record<string, TypeResult> };

const VICTIM_MEMBERS = 60;
const PER_FRAME = 4;
const FRAMES = VICTIM_MEMBERS / PER_FRAME; // 15: within maxInFlight (16) for each desk

/** The finding of issue 10 (3): one desk's poison values failed every desk's check-ins in the shared transaction. */
describe('one desk cannot fail another desk', () => {
  let t: TestServer;
  let victim: TestClient;
  let attacker: TestClient;
  const ackOf = (c: TestClient, seq: number) =>
    c.next((f) => f.type === 'ack' && f.seq === seq, 10_000) as unknown as Promise<Ack>;

  beforeAll(async () => {
    t = await startServer();
    victim = new TestClient(t.wsUrl);
    attacker = new TestClient(t.wsUrl);
    await victim.hello({ clientId: 'desk-victim' });
    await attacker.hello({ clientId: 'desk-attacker' });
    const members = [
      ...Array.from({ length: VICTIM_MEMBERS }, (_, i) => memberCreate(`m_victim_${i}`)),
      memberCreate('m_attacker'),
    ];
    victim.send({ type: 'batch', seq: 1, batches: { member_create: members } });
    const created = await ackOf(victim, 1);
    expect(created.results.member_create?.accepted).toHaveLength(members.length);
  });
  afterAll(async () => {
    await victim.close();
    await attacker.close();
    await t.stop();
  });

  it('refuses the poison alone (VALIDATION_FAILED, BAD_FRAME) while every check-in of the other desk is accepted', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const victimIds: string[] = [];
    // Interleaved on two sockets in one go, so the server groups both desks' batches into shared transactions.
    for (let f = 0; f < FRAMES; f++) {
      const items = Array.from({ length: PER_FRAME }, (_, k) => {
        const id = `v-${f}-${k}`;
        victimIds.push(id);
        return { id, data: { memberId: `m_victim_${f * PER_FRAME + k}`, deskId: 'desk-victim' } };
      });
      victim.send({ type: 'batch', seq: 100 + f, batches: { check_in: items } });
      attacker.send({
        type: 'batch',
        seq: 100 + f,
        batches: {
          check_in: [
            { id: `p-${f}-a`, data: { memberId: 'm_attacker', at: 9e15 } },
            { id: `p-${f}-b`, data: { memberId: 'm_attacker', at: -1 } },
            { id: `p-${f}-c`, data: { memberId: 'm_attacker', at: Date.now() + 3_600_000 } },
            { id: `p-${f}-d`, data: { memberId: 'm_attacker', deskId: 'y'.repeat(5_000) } },
          ],
          member_update: [
            { id: `p-${f}-e`, data: { memberId: 'm_attacker', changes: { expiresAt: '99999-99-99' } } },
          ],
          client_stats: [
            { id: `p-${f}-f`, data: { quality: { score: 1e308 }, junk: 'z'.repeat(20_000) } },
            { id: `p-${f}-g`, data: { state: 'open', reconnects: f } },
          ],
          teleport: [{ id: `p-${f}-h`, data: {} }],
        },
      });
      if (f === 7)
        attacker.send(`{"type":"batch","seq":999,"batches":{"client_stats":[{"id":"deep","data":${deep}}]}}`);
    }

    const victimAcks = await Promise.all(Array.from({ length: FRAMES }, (_, f) => ackOf(victim, 100 + f)));
    const accepted = victimAcks.flatMap((a) => a.results.check_in?.accepted ?? []);
    const refused = victimAcks.flatMap((a) => a.results.check_in?.rejected ?? []);
    expect(refused).toEqual([]);
    expect(accepted.sort()).toEqual(victimIds.sort());

    const attackerAcks = await Promise.all(
      Array.from({ length: FRAMES }, (_, f) => ackOf(attacker, 100 + f)),
    );
    for (const ack of attackerAcks) {
      expect(ack.results.check_in?.accepted).toEqual([]);
      expect(ack.results.check_in?.rejected?.map((r) => [r.code, r.message.split(':')[0]])).toEqual([
        ['VALIDATION_FAILED', 'at'],
        ['VALIDATION_FAILED', 'at'],
        ['VALIDATION_FAILED', 'at'],
        ['VALIDATION_FAILED', 'deskId'],
      ]);
      expect(ack.results.member_update?.rejected?.[0]?.code).toBe('VALIDATION_FAILED');
      expect(ack.results.client_stats?.rejected?.map((r) => r.code)).toEqual(['VALIDATION_FAILED']);
      expect(ack.results.client_stats?.accepted).toHaveLength(1);
      expect(ack.results.teleport?.rejected?.[0]?.code).toBe('UNKNOWN_TYPE');
    }
    const error = await attacker.next((f) => f.type === 'error', 5_000);
    expect(error).toMatchObject({ code: 'BAD_FRAME', message: 'frame nests deeper than 32 levels' });
    expect(attacker.ws.readyState).toBe(WebSocket.OPEN);

    const occupancy = await api<{ current: number }>(t.url, '/api/occupancy');
    expect(occupancy.body.current).toBe(VICTIM_MEMBERS);
    const visits = await api<{ visits: unknown[] }>(t.url, '/api/visits?memberId=m_attacker');
    expect(visits.body.visits).toEqual([]);
  }, 30_000);

  it('keeps serving both desks afterwards', async () => {
    victim.send({
      type: 'batch',
      seq: 500,
      batches: { check_out: [{ id: 'out-0', data: { memberId: 'm_victim_0' } }] },
    });
    attacker.send({
      type: 'batch',
      seq: 500,
      batches: { check_in: [{ id: 'ok-a', data: { memberId: 'm_attacker' } }] },
    });
    expect((await ackOf(victim, 500)).results.check_out?.accepted).toEqual(['out-0']);
    expect((await ackOf(attacker, 500)).results.check_in?.accepted).toEqual(['ok-a']);
  });
});
