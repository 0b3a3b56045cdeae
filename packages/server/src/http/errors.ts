import type { HttpErrorBody, HttpErrorCode } from '@av-gym/protocol';
import type { FastifyReply } from 'fastify';
import type * as z from 'zod';

/** Answers `status` with the error body `{error, message}` (protocol `HttpErrorBody`; codes in `HTTP_ERROR_CODES`). */
export function sendError(reply: FastifyReply, status: number, error: HttpErrorCode, message: string) {
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
