/**
 * The AV-Gym wire protocol v1: schemas, types, codes and limits shared by client and server.
 * @example
 * import { decodeFrame } from '@av-gym/protocol';
 * const r = decodeFrame('{"type":"ping","ts":1}'); // { ok: true, frame: { type: 'ping', ts: 1 } }
 */

export { COMPRESS_MIN_BYTES, DEFLATE_RAW, MAX_INFLATED_BYTES, negotiateCodec } from './codec.js';
export {
  CLOSE_CODES,
  type CloseCode,
  FRAME_ERROR_CODES,
  type FrameErrorCode,
  MESSAGE_CODES,
  type MessageCode,
  RETRYABLE_CODES,
  TERMINAL_CLOSE_CODES,
} from './codes.js';
export {
  batchSize,
  type DecodedClientFrame,
  type DecodeFailure,
  type DecodeResult,
  decodeFrame,
  orderedItems,
  type ValidateOptions,
  type ValidationResult,
  validateMessage,
} from './decode.js';
export { type DecodedServerFrame, decodeServerFrame } from './decode-server-frame.js';
export {
  ALL_TOPICS,
  DROPPABLE_EVENTS,
  EVENT_SCHEMAS,
  type EventDataMap,
  EventFrame,
  type EventName,
  OccupancyEventData,
  type ServerEvent,
  TOPICS,
  type Topic,
  TopicName,
  VisitEventData,
} from './events.js';
export {
  BatchFrame,
  BatchItem,
  BatchOrder,
  type ClientFrame,
  CODECS,
  type Codec,
  type ControlFrame,
  HelloFrame,
  PingFrame,
  SingleMessageFrame,
  SubscribeFrame,
} from './frames.js';
export {
  FLEET_PAGE,
  FleetEntry,
  FleetPageInfo,
  HealthStatus,
  HTTP_ERROR_CODES,
  HttpErrorBody,
  type HttpErrorCode,
  LoginRequest,
  MemberList,
  MembersQuery,
  Occupancy,
  ReadinessReport,
  SessionToken,
  StatsDocument,
  StatsQuery,
  Visit,
  VisitList,
  VisitsQuery,
} from './http/index.js';
export { jsonDepthExceeds } from './json-depth.js';
export {
  type ClientTimeWindow,
  DEFAULT_CLIENT_TIME_WINDOW,
  DEFAULT_LIMITS,
  HELLO_TIMEOUT_MS,
  ISO_DATE_YEARS,
  type Limits,
  MAX_CLIENT_STATS_BYTES,
  MAX_CLIENT_STATS_KEYS,
  MAX_EPOCH_MS,
  MAX_JSON_DEPTH,
  MAX_MESSAGE_ID_LENGTH,
} from './limits.js';
export {
  CheckInData,
  CheckOutData,
  CLIENT_TIME_FIELDS,
  ClientStatsData,
  conflictKey,
  DEFAULT_PRIORITY,
  hasControlCharacter,
  isMessageType,
  MAX_MEMBER_VERSION,
  MEMBER_STATUSES,
  MESSAGE_SCHEMAS,
  MESSAGE_TYPES,
  Member,
  MemberChanges,
  MemberCreateData,
  MemberStatus,
  MemberUpdateData,
  type MessageDataMap,
  type MessageType,
  PLANS,
  Plan,
  type Priority,
} from './messages/index.js';
export {
  type AckFrame,
  BatchAckFrame,
  ErrorFrame,
  EventsFrame,
  GoawayFrame,
  isBatchAck,
  isKnownFrameErrorCode,
  isKnownMessageCode,
  MAX_RECONNECT_HINT_MS,
  PongFrame,
  Rejection,
  type ServerFrame,
  type ServerFrameType,
  SingleAckFrame,
  TypeResult,
  UnknownCode,
  WelcomeFrame,
  WelcomeLimits,
  WireFrameErrorCode,
  WireMessageCode,
} from './server-frames.js';
export { utf8Length } from './utf8.js';
