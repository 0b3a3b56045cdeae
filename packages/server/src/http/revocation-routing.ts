import type { Logger } from 'pino';
import type { Broker } from '../broker/broker.js';
import type { Authenticator } from './authenticator.js';

export interface RevocationRoutingDeps {
  auth: Pick<Authenticator, 'onRevoked' | 'noteRevoked'>;
  broker: Pick<Broker, 'publishRevocation' | 'onRevocation'>;
  /** Closes the connections of these credentials on this node (4401); returns how many. */
  closeCredential(credentialIds: readonly string[], reason: string): number;
  logger: Logger;
}

/**
 * Routes every revocation to the sockets of every node: what the authenticator revokes is
 * published through the broker, and what the broker delivers (from this node at once, from
 * the others as it arrives) closes this node's connections of those credentials. A broker
 * without a revocation channel closes this node's only. Returns a function that stops both.
 */
export function routeRevocations(deps: RevocationRoutingDeps): () => void {
  const { auth, broker, logger } = deps;
  const close = (ids: readonly string[], reason: string) => {
    const closed = deps.closeCredential(ids, reason);
    if (closed > 0) logger.info({ closed, reason }, 'closed the connections of revoked credentials');
  };
  const { publishRevocation, onRevocation } = broker;
  if (!publishRevocation || !onRevocation) return auth.onRevoked(close);
  const offBroker = onRevocation.call(broker, (ids, reason) => {
    auth.noteRevoked(ids);
    close(ids, reason);
  });
  const offAuth = auth.onRevoked((ids, reason) => publishRevocation.call(broker, ids, reason));
  return () => {
    offAuth();
    offBroker();
  };
}
