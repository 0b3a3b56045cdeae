import type { HandlerMap } from '../handler-context.js';
import { checkIn } from './check-in.js';
import { checkOut } from './check-out.js';
import { clientStats } from './client-stats.js';
import { memberCreate } from './member-create.js';
import { memberRenew } from './member-renew.js';
import { memberUnfreeze } from './member-unfreeze.js';
import { memberUpdate } from './member-update.js';

/** The bulk handler of every v1 message type. */
export const DEFAULT_HANDLERS: Readonly<HandlerMap> = Object.freeze({
  check_in: checkIn,
  check_out: checkOut,
  member_create: memberCreate,
  member_update: memberUpdate,
  member_renew: memberRenew,
  member_unfreeze: memberUnfreeze,
  client_stats: clientStats,
});
