import { afterEach, describe, expect, it } from 'vitest';
import { RedisBroker } from '../src/broker/redis/redis-broker.js';
import { until } from './helpers.js';
import { CuttableProxy, deleteRedisKey, SCALE_OUT, uniqueStream } from './scale-out-harness.js';

const { redisUrl } = SCALE_OUT;

describe.skipIf(!redisUrl)('revocations reach a node that lost Redis while they were published', () => {
  const open: RedisBroker[] = [];
  let proxy: CuttableProxy | undefined;
  const stream = uniqueStream();
  afterEach(async () => {
    for (const b of open.splice(0)) await b.close();
    await proxy?.close();
    await deleteRedisKey(redisUrl as string, stream);
    await deleteRedisKey(redisUrl as string, `${stream}:revocations`);
  });

  it('delivers a revocation published during the cut once the link is back', async () => {
    const target = new URL(redisUrl as string);
    proxy = new CuttableProxy(target.hostname, Number(target.port || 6379));
    await proxy.listen();
    const sender = new RedisBroker({ url: redisUrl as string, streamKey: stream });
    const cutOff = new RedisBroker({ url: proxy.via(redisUrl as string), streamKey: stream });
    open.push(sender, cutOff);
    await Promise.all([sender.ready(), cutOff.ready()]);
    const seen: [readonly string[], string][] = [];
    cutOff.onRevocation((ids, reason) => seen.push([ids, reason]));

    proxy.cut();
    await until(() => !cutOff.healthy(), 5_000);
    const id = 'e'.repeat(64);
    sender.publishRevocation([id], 'logged out');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
    proxy.restore();
    await until(() => seen.length === 1, 10_000);
    expect(seen).toEqual([[[id], 'logged out']]);
  });
});
