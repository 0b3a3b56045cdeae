import * as z from 'zod';

/** `GET /healthz` answer: the process is up (it says nothing about its dependencies). */
export const HealthStatus = z.object({ status: z.literal('ok') });
export type HealthStatus = z.infer<typeof HealthStatus>;

/**
 * `GET /readyz` answer, 200 when `ready` and 503 when not: the database answers, the broker is
 * connected, and the node is not draining (`draining: true` from SIGTERM on, so a balancer moves
 * away before the node stops taking sockets).
 */
export const ReadinessReport = z.object({
  ready: z.boolean(),
  database: z.enum(['up', 'down']),
  broker: z.enum(['up', 'down']),
  /** Extension: present (true) while the node shuts down gracefully. */
  draining: z.literal(true).optional(),
});
export type ReadinessReport = z.infer<typeof ReadinessReport>;
