import type { ServerEvent } from '@av-gym/protocol';
import { afterEach, expect, it } from 'vitest';
import { MemoryBroker } from '../src/broker/memory/memory-broker.js';
import { startServer, TestClient, type TestServer, until } from './helpers.js';

function occupancy(seq: number): ServerEvent {
  return {
    type: 'event',
    seq,
    topic: 'occupancy',
    name: 'occupancy.changed',
    at: Date.now(),
    data: { current: seq, capacity: 120, todayTotal: seq },
  } as ServerEvent;
}

/**
 * Other nodes keep committing while this one starts: the broker delivers their events once it is
 * ready, before the gateway exists (as the Redis broker's read loop does).
 */
class BusyBroker extends MemoryBroker {
  override async ready(): Promise<void> {
    await super.ready();
    this.publish([occupancy(1), occupancy(2)]);
  }
}

let server: TestServer | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.stop();
  server = undefined;
});

it('keeps the events the broker delivers while the node starts, so a desk resumes across them', async () => {
  const broker = new BusyBroker();
  server = await startServer({}, { broker });
  broker.publish([occupancy(3)]);
  const desk = new TestClient(server.wsUrl);
  clients.push(desk);
  // without them the history would start at 0 and break at seq 3: resumed false
  expect(await desk.hello({ topics: ['*'], resume: { lastEventSeq: 0 } })).toMatchObject({ resumed: true });
  await until(() => desk.events().length >= 3);
  expect(desk.events().map((e) => e.seq)).toEqual([1, 2, 3]);
});
