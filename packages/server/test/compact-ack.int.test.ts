// the Node inflater the client's docs give (`inflateRaw` of @av-gym/client/node is this, bounded)

import { inflateRawSync } from 'node:zlib';
import { type SendOutcome, WebSocketService, type WebSocketServiceOptions } from '@av-gym/client';
import type { CompactAckFrame, TypeResult } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { API_TOKEN, memberCreate, newId, startServer, TestClient, type TestServer } from './helpers.js';

type Ack = { type: 'ack'; seq: number; results: Record<string, TypeResult> };

describe('compact acks (hello.acks)', () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const client = () => {
    const c = new TestClient(t.wsUrl);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await startServer();
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });

  it('negotiates the first format offered that the server has, and says so in welcome', async () => {
    expect((await client().hello({ acks: ['compact-deflate', 'compact'] })).acks).toBe('compact-deflate');
    expect((await client().hello({ acks: ['zstd', 'compact'] })).acks).toBe('compact');
    expect((await client().hello({ acks: ['zstd'] })).acks).toBe('full');
    expect(await client().hello()).not.toHaveProperty('acks');
  });

  it('names each message by its place: accepted, refused with its code, a duplicate, what each write produced', async () => {
    const c = client();
    await c.hello({ acks: ['compact'] });
    const creates = [memberCreate('m_cack_1'), memberCreate('m_cack_2')];
    const missing = { id: newId('mu'), data: { memberId: 'm_nobody', changes: { notes: 'x' } } };
    c.send({ type: 'batch', seq: 1, batches: { member_create: creates, member_update: [missing] } });
    const first = (await c.next(
      (f) => f.type === 'compact_ack' && f.seq === 1,
    )) as unknown as CompactAckFrame;
    expect(first.types.member_create?.n).toBe(2);
    expect(first.types.member_create?.rej).toBeUndefined();
    expect(first.types.member_create?.info?.map((i) => i?.memberId)).toEqual(['m_cack_1', 'm_cack_2']);
    expect(first.types.member_update).toMatchObject({ n: 1, rej: [{ i: 0, code: 'MEMBER_NOT_FOUND' }] });
    // the first create again, behind a new one: a duplicate at index 1 with the original write's info
    const third = memberCreate('m_cack_3');
    c.send({ type: 'batch', seq: 2, batches: { member_create: [third, creates[0]] } });
    const second = (await c.next(
      (f) => f.type === 'compact_ack' && f.seq === 2,
    )) as unknown as CompactAckFrame;
    expect(second.types.member_create).toMatchObject({ n: 2, dup: [1] });
    expect(second.types.member_create?.info?.[1]?.memberId).toBe('m_cack_1');
    expect(c.frames.some((f) => f.type === 'ack')).toBe(false);
  });

  it('deflates an ack of 256 bytes or more under compact-deflate; a small one stays text', async () => {
    const c = client();
    await c.hello({ acks: ['compact-deflate'] });
    const small = [memberCreate('m_cack_s')];
    c.send({ type: 'batch', seq: 1, batches: { member_create: small } });
    await c.next((f) => f.type === 'compact_ack' && f.seq === 1);
    expect(c.binaryFrames).toBe(0);
    const many = Array.from({ length: 30 }, (_, i) => memberCreate(`m_cack_big_${i}`));
    c.send({ type: 'batch', seq: 2, batches: { member_create: many } });
    const ack = (await c.next((f) => f.type === 'compact_ack' && f.seq === 2)) as unknown as CompactAckFrame;
    expect(c.binaryFrames).toBe(1);
    expect(ack.types.member_create?.n).toBe(30);
    expect(ack.types.member_create?.info).toHaveLength(30);
  });

  it('keeps the full ack for a client that asks for none (old clients)', async () => {
    const c = client();
    await c.hello();
    const creates = [memberCreate('m_cack_old_1'), memberCreate('m_cack_old_2')];
    c.send({ type: 'batch', seq: 5, batches: { member_create: creates } });
    const ack = (await c.next((f) => f.type === 'ack' && f.seq === 5)) as unknown as Ack;
    expect(ack.results.member_create?.accepted).toEqual(creates.map((m) => m.id));
  });

  it('gives the real client the same outcome for every send with compact-deflate and with full acks', async () => {
    const run = async (label: string, options: Partial<WebSocketServiceOptions>) => {
      const svc = new WebSocketService({
        url: t.wsUrl,
        token: API_TOKEN,
        clientId: `desk-${label}`,
        WebSocket: WebSocket as unknown as WebSocketServiceOptions['WebSocket'],
        network: null,
        clientStatsIntervalMs: 0,
        ...options,
      });
      await svc.connect();
      const sends: Promise<SendOutcome>[] = [];
      for (let i = 0; i < 12; i++) {
        sends.push(
          svc.send('member_create', {
            memberId: `m_cack_${label}_${i}`,
            name: `Member ${i}`,
            plan: 'standard',
            expiresAt: '2099-12-31',
          }),
        );
      }
      // refused: a member that does not exist, and the first member created twice
      sends.push(svc.send('member_update', { memberId: `m_nobody_${label}`, changes: { notes: 'x' } }));
      sends.push(
        svc.send('member_create', {
          memberId: `m_cack_${label}_0`,
          name: 'Again',
          plan: 'standard',
          expiresAt: '2099-12-31',
        }),
      );
      const outcomes = await Promise.all(sends);
      svc.close();
      // ids and names differ per run; what a caller reads must not
      return outcomes.map((o) =>
        o.ok
          ? {
              ok: true,
              duplicate: o.duplicate ?? false,
              memberId: (o.info as { memberId?: string })?.memberId?.replace(label, '*'),
            }
          : { ok: false, code: o.code },
      );
    };
    const compact = await run('compact', { inflate: (b) => inflateRawSync(b) });
    const full = await run('full', { acks: [] });
    expect(compact).toEqual(full);
    expect(compact.filter((o) => o.ok)).toHaveLength(12);
    expect(compact.slice(12).map((o) => o.code)).toEqual(['MEMBER_NOT_FOUND', 'DUPLICATE_MEMBER']);
  });
});
