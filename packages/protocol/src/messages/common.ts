import * as z from 'zod';
import { MAX_MESSAGE_ID_LENGTH } from '../limits.js';

/** A logical message id: client-made (ULID or UUID), the idempotency key. */
export const MessageId = z.string().min(1).max(MAX_MESSAGE_ID_LENGTH);

/** A member id (`m_` + ULID for server-made ones; clients may choose their own). */
export const MemberId = z.string().min(1).max(64);

/** Milliseconds since the epoch. */
export const EpochMs = z.number().int().nonnegative();

/** A calendar date, `YYYY-MM-DD`. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const DeskId = z.string().min(1).max(64);
