import type { MessageType } from '@av-gym/protocol';
import type { StoreTx } from '../store/write-store.js';
import { type HandlerMap, HandlerScope, type PlannedMessage } from './handler-context.js';

export interface IsolatedCallOptions<M extends PlannedMessage> {
  tx: StoreTx;
  handlers: HandlerMap;
  now: number;
  newId: (prefix: 'm' | 'v') => string;
  /** Whether an earlier message of this one's member failed, so this one must not run (order). */
  isTainted(message: M): boolean;
  /** The message does not run: it failed alone, or an earlier message of its member did. */
  fail(message: M, reason: string): void;
  /** A handler call over `messages` returned: `scope` holds their outcomes and events. */
  done(scope: HandlerScope, messages: readonly M[]): void;
  /** Called with the error of each message that fails alone. */
  onHandlerError(type: string, error: unknown): void;
}

/**
 * Runs one type's bulk handler over `messages` (one phase, enqueue order) in a savepoint: one
 * call on the fast path. If it throws, the savepoint rolls back and the messages are tried
 * again in two halves, in order, each in its own savepoint, down to single messages; a message
 * that throws alone gets INTERNAL and taints its member, so that member's later messages do not
 * run either (never out of order). Everything else runs and commits with the transaction. Halving
 * rather than one by one keeps a poison message cheap: about 2 log2(n) extra calls, not n.
 * Consecutive slices in order equal one call, since a bulk handler equals applying its
 * messages one by one.
 */
export async function isolatedHandlerCall<M extends PlannedMessage>(
  type: MessageType,
  messages: readonly M[],
  options: IsolatedCallOptions<M>,
): Promise<void> {
  const handler = options.handlers[type] as (ctx: HandlerScope, messages: readonly M[]) => Promise<void>;
  const attempt = async (slice: readonly M[]): Promise<void> => {
    const runnable: M[] = [];
    for (const message of slice) {
      if (options.isTainted(message))
        options.fail(message, 'an earlier message for this member failed; nothing was written');
      else runnable.push(message);
    }
    if (runnable.length === 0) return;
    const scope = new HandlerScope(options.tx, options.now, options.newId);
    try {
      await options.tx.savepoint(() => handler(scope, runnable));
    } catch (error) {
      if (runnable.length === 1) {
        options.onHandlerError(type, error);
        options.fail(runnable[0]!, `the ${type} handler failed on this message; nothing was written`);
        return;
      }
      const half = Math.ceil(runnable.length / 2);
      await attempt(runnable.slice(0, half));
      await attempt(runnable.slice(half));
      return;
    }
    options.done(scope, runnable);
  };
  await attempt(messages);
}
