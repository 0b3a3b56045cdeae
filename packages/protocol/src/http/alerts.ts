import * as z from 'zod';

/** Every alert rule the server evaluates (docs/operations.md: thresholds and meaning). */
export const ALERT_RULES = [
  'desk_quality_low',
  'desk_offline',
  'ack_p99_high',
  'reconnect_storm',
  'drop_rate_high',
  'outbound_queue_high',
  'database_down',
  'broker_down',
  /** The load forecast for the next 24 h exceeds FORECAST_CAPACITY_MSGS_PER_SEC (issue 17). */
  'forecast_load_high',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
/** pending: the condition holds, not yet for long enough; firing; resolved: it held and stopped. */
export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** One alert: a rule about a subject (a desk id or a node name), through pending -> firing -> resolved. */
export const Alert = z.object({
  id: z.string(),
  rule: z.enum(ALERT_RULES),
  subject: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  state: z.enum(ALERT_STATES),
  /** Words for staff: "Desk 3 offline for 4 min". */
  summary: z.string(),
  value: z.number(),
  /** The node that evaluated it. */
  node: z.string(),
  /** When the condition began, fired, resolved (epoch ms). */
  startedAt: z.number(),
  firedAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  /** Last change of any field (epoch ms). */
  updatedAt: z.number(),
});
export type Alert = z.infer<typeof Alert>;

/** `GET /api/alerts` query: alerts not resolved, plus those that changed since `since` (default the last 24 h). */
export const AlertsQuery = z.strictObject({
  since: z.coerce.number().int().min(0).max(8_640_000_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertsQuery = z.output<typeof AlertsQuery>;

export const AlertList = z.object({ alerts: z.array(Alert) });
export type AlertList = z.infer<typeof AlertList>;
