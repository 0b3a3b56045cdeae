import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberCreate, newId, startServer, TestClient, type TestServer, until } from './helpers.js';

describe('events', () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const connect = async (hello: Record<string, unknown> = {}) => {
    const c = new TestClient(t.wsUrl);
    clients.push(c);
    const welcome = await c.hello(hello);
    return { c, welcome };
  };
  let seq = 0;
  const write = async (c: TestClient, batches: Record<string, unknown[]>) => {
    const s = ++seq;
    c.send({ type: 'batch', seq: s, batches });
    return c.next((f) => f.type === 'ack' && f.seq === s);
  };
  const seqs = (c: TestClient) => c.events().map((e) => e.seq as number);

  beforeAll(async () => {
    t = await startServer({ eventHistorySize: 50 });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await t.stop();
  });

  it('delivers the writes of one connection to another as gap-free events', async () => {
    const { c: writer } = await connect();
    const { c: reader, welcome } = await connect({ topics: ['*'] });
    const start = welcome.eventSeq as number;
    await write(writer, { member_create: [memberCreate('m_ev1'), memberCreate('m_ev2')] });
    await write(writer, {
      check_in: [
        { id: newId(), data: { memberId: 'm_ev1' } },
        { id: newId(), data: { memberId: 'm_ev2' } },
      ],
    });
    await until(() =>
      reader
        .events()
        .some((e) => e.name === 'check_in.created' && (e.data as { memberId: string }).memberId === 'm_ev2'),
    );
    const got = seqs(reader);
    expect(got[0]).toBe(start + 1);
    expect(got).toEqual(got.map((_, i) => start + 1 + i));
    const names = new Set(reader.events().map((e) => e.name));
    expect(names).toEqual(new Set(['member.created', 'check_in.created', 'occupancy.changed']));
    expect(writer.events()).toEqual([]);
  });

  it('sends only the subscribed topics and follows subscribe / unsubscribe', async () => {
    const { c: writer } = await connect();
    const { c: reader } = await connect({ topics: ['occupancy'] });
    await write(writer, { member_create: [memberCreate('m_topic')] });
    await write(writer, { check_in: [{ id: newId(), data: { memberId: 'm_topic' } }] });
    await until(() => reader.events().length > 0);
    expect(reader.events().every((e) => e.topic === 'occupancy')).toBe(true);
    reader.send({ type: 'subscribe', topics: ['members'] });
    reader.send({ type: 'unsubscribe', topics: ['occupancy'] });
    reader.send({ type: 'ping', ts: 1 });
    await reader.next((f) => f.type === 'pong');
    const mark = reader.events().length;
    await write(writer, { member_create: [memberCreate('m_topic2')] });
    await write(writer, { check_out: [{ id: newId(), data: { memberId: 'm_topic' } }] });
    await until(() => reader.events().length > mark);
    await new Promise((r) => setTimeout(r, 50));
    expect(
      reader
        .events()
        .slice(mark)
        .map((e) => e.name),
    ).toEqual(['member.created']);
  });

  it('replays the missed events in order after a reconnect with resume', async () => {
    const { c: writer } = await connect();
    const { c: first } = await connect({ topics: ['*'] });
    await write(writer, { member_create: [memberCreate('m_resume')] });
    await until(() => first.events().length > 0);
    const lastSeen = Math.max(...seqs(first));
    await first.close();
    await write(writer, { check_in: [{ id: newId(), data: { memberId: 'm_resume' } }] });
    await write(writer, { check_out: [{ id: newId(), data: { memberId: 'm_resume' } }] });
    const { c: again, welcome } = await connect({ topics: ['*'], resume: { lastEventSeq: lastSeen } });
    expect(welcome.resumed).toBe(true);
    const newest = welcome.eventSeq as number;
    expect(newest).toBeGreaterThan(lastSeen);
    await until(() => seqs(again).includes(newest));
    expect(seqs(again)).toEqual(Array.from({ length: newest - lastSeen }, (_, i) => lastSeen + 1 + i));
    expect(again.events().map((e) => e.name)).toContain('check_out.created');
  });

  it('answers resumed:false when the gap is older than the history', async () => {
    const { c: writer } = await connect();
    const members = Array.from({ length: 40 }, (_, i) => memberCreate(`m_old_${i}`));
    await write(writer, { member_create: members });
    await write(writer, {
      check_in: members.map((m) => ({ id: newId(), data: { memberId: m.data.memberId } })),
    });
    const { welcome } = await connect({ topics: ['*'], resume: { lastEventSeq: 1 } });
    expect(welcome.resumed).toBe(false);
    const { welcome: future } = await connect({ topics: ['*'], resume: { lastEventSeq: 1_000_000 } });
    expect(future.resumed).toBe(false);
  });

  it('answers resumed:false when the oldest missed event is past EVENT_HISTORY_MAX_AGE_HOURS', async () => {
    const aged = await startServer({ eventHistoryMaxAgeMs: 2_000 });
    try {
      const writer = new TestClient(aged.wsUrl);
      clients.push(writer);
      const first = await writer.hello();
      writer.send({ type: 'batch', seq: 1, batches: { member_create: [memberCreate('m_aged')] } });
      await writer.next((f) => f.type === 'ack' && f.seq === 1);
      const fresh = new TestClient(aged.wsUrl);
      clients.push(fresh);
      // in the count window and young: replayed
      expect(await fresh.hello({ resume: { lastEventSeq: first.eventSeq } })).toMatchObject({
        resumed: true,
      });
      await new Promise((r) => setTimeout(r, 2_100));
      const late = new TestClient(aged.wsUrl);
      clients.push(late);
      // the same seq, now older than the window: reload instead of a stale replay
      expect(await late.hello({ resume: { lastEventSeq: first.eventSeq } })).toMatchObject({
        resumed: false,
      });
    } finally {
      await aged.stop();
    }
  });
});
