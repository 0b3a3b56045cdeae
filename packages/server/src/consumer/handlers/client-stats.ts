import type { ClientStatsRow } from '../../store/store.js';
import type { HandlerContext, MessageHandler, PlannedMessage } from '../handler-context.js';

/** `client_stats`: keeps the latest metrics snapshot per clientId (the last one wins). */
export const clientStats: MessageHandler<'client_stats'> = async (
  ctx: HandlerContext,
  messages: readonly PlannedMessage<'client_stats'>[],
) => {
  const latest = new Map<string, ClientStatsRow>();
  for (const message of messages) {
    latest.set(message.clientId, {
      clientId: message.clientId,
      receivedAt: ctx.now,
      stats: message.data as Record<string, unknown>,
    });
    ctx.accept(message);
  }
  await ctx.tx.upsertClientStats([...latest.values()]);
};
