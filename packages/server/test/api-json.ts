import { HTTP_ERROR_CODES, HttpErrorBody, type HttpErrorCode } from '@av-gym/protocol';
import { expect } from 'vitest';
import type * as z from 'zod';
import { api } from './helpers.js';

type Init = Parameters<typeof api>[2];

const isSuccess = (status: number) => status >= 200 && status < 300;

/** `body` parsed by `schema`, failing the test when it does not parse or holds a field the schema does not declare. */
function conforming<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw new Error(`${what} does not match its schema: ${r.error.message}`);
  // The answer schemas strip unknown keys and transform nothing: a difference is an undeclared field.
  expect(r.data, `${what} has only the fields its schema declares`).toEqual(body);
  return r.data;
}

/** An error answer: `{error, message}` with a code from HTTP_ERROR_CODES, sent with that code's status. */
export function checkError(status: number, body: unknown): HttpErrorBody {
  expect(isSuccess(status), `status ${status} of an error`).toBe(false);
  const error = conforming(HttpErrorBody, body, `the ${status} error`);
  const code = HTTP_ERROR_CODES[error.error as HttpErrorCode];
  expect(code, `${error.error} is listed in HTTP_ERROR_CODES`).toBeDefined();
  expect(status, `${error.error} goes with its status`).toBe(code?.status);
  return error;
}

/** A 2xx answer checked against `schema`; any other fails with the error it carries (itself checked). */
export function checkAnswer<S extends z.ZodType>(schema: S, status: number, body: unknown): z.output<S> {
  if (isSuccess(status)) return conforming(schema, body, `the ${status} answer`);
  const error = checkError(status, body);
  throw new Error(`expected a 2xx answer, got ${status} ${error.error}: ${error.message}`);
}

/** Calls the API (see `api`) and parses a 2xx answer with its protocol schema. */
export async function apiJson<S extends z.ZodType>(
  schema: S,
  url: string,
  path: string,
  init: Init = {},
): Promise<{ status: number; body: z.output<S> }> {
  const { status, body } = await api<unknown>(url, path, init);
  return { status, body: checkAnswer(schema, status, body) };
}

/** Calls the API (see `api`) expecting an error answer, checked by `checkError`. */
export async function apiError(
  url: string,
  path: string,
  init: Init = {},
): Promise<{ status: number; body: HttpErrorBody }> {
  const { status, body } = await api<unknown>(url, path, init);
  return { status, body: checkError(status, body) };
}
