import type { ServerEvent } from '@av-gym/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker, BrokerListener } from '../src/broker/broker.js';
import { MemoryBroker } from '../src/broker/memory/memory-broker.js';
import { api, newId, startServer, TestClient, type TestServer } from './helpers.js';

/** The in-process broker with a switch that makes it report itself disconnected. */
class SwitchableBroker implements Broker {
  readonly inner = new MemoryBroker();
  up = true;
  publish(events: ServerEvent[]): void {
    this.inner.publish(events);
  }
  subscribe(listener: BrokerListener): () => void {
    return this.inner.subscribe(listener);
  }
  ready(): Promise<void> {
    return this.inner.ready();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  healthy(): boolean {
    return this.up;
  }
}

describe('operations endpoints (one node, SQLite)', () => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await server?.stop();
    server = undefined;
  });

  it('reports readiness at /readyz without a token', async () => {
    server = await startServer();
    expect(await api(server.url, '/readyz', { token: null })).toEqual({
      status: 200,
      body: { ready: true, database: 'up', broker: 'up' },
    });
  });

  it('exposes Prometheus metrics that follow the traffic', async () => {
    server = await startServer();
    const client = new TestClient(server.wsUrl);
    clients.push(client);
    await client.hello({ topics: ['*'] });
    const id = newId();
    client.send({
      type: 'batch',
      seq: 1,
      batches: {
        member_create: [
          { id, data: { memberId: 'm_prom', name: 'Prom', plan: 'standard', expiresAt: '2099-12-31' } },
        ],
        check_in: [{ id: newId(), data: { memberId: 'm_missing' } }],
      },
    });
    await client.next((f) => f.type === 'ack');
    await client.next((f) => f.type === 'event' || f.type === 'events');
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^avgym_connections_open 1$/m);
    expect(text).toMatch(/^avgym_frames_total\{direction="in",type="batch"\} 1$/m);
    expect(text).toMatch(/^avgym_messages_total\{type="member_create",outcome="accepted"\} 1$/m);
    expect(text).toMatch(/^avgym_messages_total\{type="check_in",outcome="rejected"\} 1$/m);
    expect(text).toMatch(/^avgym_rejected_total\{code="MEMBER_NOT_FOUND"\} 1$/m);
    expect(text).toMatch(/^avgym_batch_handling_seconds_count 1$/m);
    expect(text).toMatch(/^avgym_events_fanned_out_total [1-9]/m);
    expect(text).toMatch(/^avgym_outbound_queue_bytes\{stat="max"\} \d+$/m);
  });

  it('answers writes UNAVAILABLE and reports not ready while the broker is down, and recovers', async () => {
    const broker = new SwitchableBroker();
    server = await startServer({}, { broker });
    const client = new TestClient(server.wsUrl);
    clients.push(client);
    await client.hello();
    const member = {
      id: newId(),
      data: { memberId: 'm_gate', name: 'Gate', plan: 'standard', expiresAt: '2099-12-31' },
    };
    broker.up = false;
    expect((await api(server.url, '/readyz', { token: null })).body).toEqual({
      ready: false,
      database: 'up',
      broker: 'down',
    });
    client.send({ type: 'batch', seq: 1, batches: { member_create: [member] } });
    const refused = (await client.next((f) => f.type === 'ack' && f.seq === 1)) as unknown as {
      results: { member_create: { accepted: string[]; rejected: { code: string }[] } };
    };
    expect(refused.results.member_create.accepted).toEqual([]);
    expect(refused.results.member_create.rejected.map((r) => r.code)).toEqual(['UNAVAILABLE']);
    expect((await api(server.url, '/api/members/m_gate')).status).toBe(404);

    broker.up = true;
    expect((await api(server.url, '/readyz', { token: null })).status).toBe(200);
    client.send({ type: 'batch', seq: 2, batches: { member_create: [member] } });
    const accepted = (await client.next((f) => f.type === 'ack' && f.seq === 2)) as unknown as {
      results: { member_create: { accepted: string[] } };
    };
    expect(accepted.results.member_create.accepted).toEqual([member.id]);
  });
});
