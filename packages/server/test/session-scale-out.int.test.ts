import { CLOSE_CODES } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AvGymServer } from '../src/index.js';
import { ADMIN_PASSWORD, API_TOKEN, api, TestClient } from './helpers.js';
import { deleteRedisKey, SCALE_OUT, SKIP_MESSAGE, startNode, uniqueStream } from './scale-out-harness.js';
import { createTempDatabase, type TempPostgresDatabase } from './support/temp-postgres-database.js';

const { databaseUrl, redisUrl } = SCALE_OUT;

type Node = { server: AvGymServer; url: string; wsUrl: string };

describe.skipIf(!databaseUrl || !redisUrl)(
  'session lifecycle across two nodes (PostgreSQL and Redis)',
  () => {
    let db: TempPostgresDatabase;
    const stream = uniqueStream();
    let node1: Node;
    let node2: Node;
    const clients: TestClient[] = [];
    const desk = async (node: Node, token: string) => {
      const client = new TestClient(node.wsUrl);
      clients.push(client);
      await client.hello({ token, clientId: `desk-${clients.length}` });
      return client;
    };
    const login = async (node: Node) => {
      const res = await api<{ token: string }>(node.url, '/api/session', {
        method: 'POST',
        body: { username: 'admin', password: ADMIN_PASSWORD },
        token: null,
      });
      expect(res.status).toBe(200);
      return res.body.token;
    };
    const stillServes = async (client: TestClient) => {
      const from = client.frames.length;
      client.send({ type: 'ping', ts: 1 });
      await client.next((f) => f.type === 'pong', 5_000, from);
    };

    beforeAll(async () => {
      db = await createTempDatabase(databaseUrl as string);
      const env = { databaseUrl: db.url, redisUrl: redisUrl as string, redisStream: stream };
      node1 = await startNode(env);
      node2 = await startNode(env);
    }, 60_000);

    afterAll(async () => {
      for (const c of clients) await c.close();
      await Promise.all([node1?.server.close(), node2?.server.close()]);
      await db?.drop();
      await deleteRedisKey(redisUrl as string, stream);
      await deleteRedisKey(redisUrl as string, `${stream}:revocations`);
    });

    it('closes the socket on node 2 with 4401 within 1 s of a logout on node 1', async () => {
      const token = await login(node1);
      const onNode2 = await desk(node2, token);
      const onNode1 = await desk(node1, token);
      const other = await desk(node2, API_TOKEN);
      const res = await fetch(`${node1.url}/api/session`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(204);
      const loggedOutAt = Date.now();
      for (const socket of [onNode2, onNode1]) {
        const { code } = await socket.closed;
        expect(code).toBe(CLOSE_CODES.UNAUTHENTICATED);
        expect(Date.now() - loggedOutAt).toBeLessThan(1_000);
      }
      expect((await api(node2.url, '/api/members', { token })).status).toBe(401);
      await stillServes(other);
    });

    it('closes the sockets on both nodes of a staff account disabled on node 2', async () => {
      const token = await login(node2);
      const sockets = [await desk(node1, token), await desk(node2, token)];
      const other = await desk(node1, API_TOKEN);
      const disabledAt = Date.now();
      expect(await node2.server.auth.disableStaff('admin')).toBe(true);
      for (const socket of sockets) {
        const { code } = await socket.closed;
        expect(code).toBe(CLOSE_CODES.UNAUTHENTICATED);
        expect(Date.now() - disabledAt).toBeLessThan(1_000);
      }
      const refused = await api(node1.url, '/api/session', {
        method: 'POST',
        body: { username: 'admin', password: ADMIN_PASSWORD },
        token: null,
      });
      expect(refused.status).toBe(401);
      await stillServes(other);
    });
  },
);

describe.skipIf(Boolean(databaseUrl && redisUrl))('session lifecycle across two nodes', () => {
  it.skip(SKIP_MESSAGE, () => {});
});
