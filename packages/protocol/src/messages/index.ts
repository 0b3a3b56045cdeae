import type * as z from 'zod';
import { ClientStatsData } from './client-stats.js';
import { MemberCreateData, MemberRenewData, MemberUnfreezeData, MemberUpdateData } from './members.js';
import { CheckInData, CheckOutData } from './visits.js';

/** Every logical message type of v1, with the schema of its `data`. */
export const MESSAGE_SCHEMAS = {
  check_in: CheckInData,
  check_out: CheckOutData,
  member_create: MemberCreateData,
  member_update: MemberUpdateData,
  member_renew: MemberRenewData,
  member_unfreeze: MemberUnfreezeData,
  client_stats: ClientStatsData,
} as const;

export type MessageType = keyof typeof MESSAGE_SCHEMAS;
export const MESSAGE_TYPES = Object.keys(MESSAGE_SCHEMAS) as MessageType[];

/** The `data` of each message type. */
export type MessageDataMap = { [K in MessageType]: z.infer<(typeof MESSAGE_SCHEMAS)[K]> };

export type Priority = 'high' | 'medium' | 'low';

/** Client-side default priority of each type; `low` ones are droppable under pressure. */
export const DEFAULT_PRIORITY: Readonly<Record<MessageType, Priority>> = {
  check_in: 'high',
  check_out: 'high',
  member_create: 'medium',
  member_update: 'medium',
  member_renew: 'medium',
  member_unfreeze: 'medium',
  client_stats: 'low',
};

/**
 * The fields of each type that carry a client-given time: the server refuses the message when
 * one lies outside its window around the server's clock (see `validateMessage`).
 */
export const CLIENT_TIME_FIELDS: Readonly<Partial<Record<MessageType, readonly string[]>>> = {
  check_in: ['at'],
  check_out: ['at'],
};

export function isMessageType(type: string): type is MessageType {
  return Object.hasOwn(MESSAGE_SCHEMAS, type);
}

/**
 * The member a message acts on, if any: two messages with the same key must be applied in
 * the order the client enqueued them, across types.
 */
export function conflictKey(type: string, data: unknown): string | undefined {
  if (type === 'client_stats' || data === null || typeof data !== 'object') return undefined;
  const memberId = (data as { memberId?: unknown }).memberId;
  return typeof memberId === 'string' ? memberId : undefined;
}

export * from './client-stats.js';
export * from './clubs.js';
export * from './common.js';
export * from './members.js';
export * from './visits.js';
