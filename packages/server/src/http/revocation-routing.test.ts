import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, TEST_NOW, type TempStore } from '../../test/support/temp-sqlite-store.js';
import { MemoryBroker } from '../broker/memory/memory-broker.js';
import { Authenticator, credentialId } from './authenticator.js';
import { routeRevocations } from './revocation-routing.js';

const TOKEN = 'api-token-0123456789ab';
const logger = pino({ level: 'silent' });

describe('routeRevocations', () => {
  let t: TempStore;
  let auth: Authenticator;
  beforeEach(async () => {
    t = await openTempStore();
    auth = new Authenticator({
      store: t.store,
      apiTokens: [TOKEN],
      sessionTtlMs: 60_000,
      now: () => TEST_NOW,
    });
  });
  afterEach(() => t.cleanup());

  it('publishes what the authenticator revokes and closes what the broker delivers', () => {
    const broker = new MemoryBroker();
    const published: string[] = [];
    broker.onRevocation((ids) => published.push(...ids));
    const closed: [readonly string[], string][] = [];
    const stop = routeRevocations({
      auth,
      broker,
      logger,
      closeCredential: (ids, r) => closed.push([ids, r]),
    });
    auth.setApiTokens([]);
    expect(published).toEqual([credentialId(TOKEN)]);
    expect(closed).toEqual([[[credentialId(TOKEN)], 'API token revoked']]);
    // Another node's revocation (delivered by the broker) closes here too.
    broker.publishRevocation(['f'.repeat(64)], 'logged out');
    expect(closed).toHaveLength(2);
    stop();
    broker.publishRevocation(['f'.repeat(64)], 'logged out');
    expect(closed).toHaveLength(2);
  });

  it('closes on this node directly when the broker has no revocation channel', () => {
    const closed: string[] = [];
    routeRevocations({
      auth,
      broker: {},
      logger,
      closeCredential: (ids) => closed.push(...ids),
    });
    auth.setApiTokens([]);
    expect(closed).toEqual([credentialId(TOKEN)]);
  });
});
