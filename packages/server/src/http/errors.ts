import type { FastifyReply } from 'fastify';
import type * as z from 'zod';

/** The JSON body of every HTTP error: a stable code and a readable message. */
export interface HttpErrorBody {
  error: string;
  message: string;
}

export function sendError(reply: FastifyReply, status: number, error: string, message: string) {
  const body: HttpErrorBody = { error, message };
  return reply.code(status).send(body);
}

/** Parses request input with a zod schema; on failure replies 400 naming the field, and returns undefined. */
export function parseOr400<S extends z.ZodType>(
  reply: FastifyReply,
  schema: S,
  value: unknown,
  what: string,
): z.output<S> | undefined {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  void sendError(reply, 400, 'BAD_REQUEST', `bad ${what}: ${where}${issue?.message ?? 'invalid'}`);
  return undefined;
}
