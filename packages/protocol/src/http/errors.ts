import * as z from 'zod';

/** Every `error` code an HTTP answer may carry, its status and a one-line meaning. */
export const HTTP_ERROR_CODES = {
  BAD_REQUEST: {
    status: 400,
    meaning: 'a query parameter or the body does not match its schema (the message names it)',
  },
  UNAUTHENTICATED: { status: 401, meaning: 'no bearer token, or an unknown, expired or revoked one' },
  BAD_CREDENTIALS: { status: 401, meaning: 'login: wrong username or password' },
  FORBIDDEN: { status: 403, meaning: "the signed-in staff member's role may not do this" },
  NOT_FOUND: { status: 404, meaning: 'no such route' },
  STAFF_NOT_FOUND: { status: 404, meaning: 'no staff account has this username' },
  STAFF_EXISTS: { status: 409, meaning: 'a staff account with this username exists already' },
  LAST_ADMIN: { status: 409, meaning: 'the change would leave no active admin account' },
  WRONG_PASSWORD: { status: 403, meaning: 'password change: the current password is wrong' },
  MEMBER_NOT_FOUND: { status: 404, meaning: 'no member has this id' },
  CLUB_NOT_FOUND: { status: 404, meaning: 'no club has this id' },
  DESK_LIMIT: {
    status: 409,
    meaning: 'PUT /api/desks/:deskId: a new desk past the most the server keeps set up (10,000)',
  },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    meaning: 'login: too many failures for this name or address; wait Retry-After seconds',
  },
} as const satisfies Record<string, { status: number; meaning: string }>;
export type HttpErrorCode = keyof typeof HTTP_ERROR_CODES;

/**
 * The JSON body of every HTTP error: a stable code and a readable message. `error` is a string,
 * not the closed set, so a reader keeps working when a newer server adds a code.
 */
export const HttpErrorBody = z.object({ error: z.string(), message: z.string() });
export type HttpErrorBody = z.infer<typeof HttpErrorBody>;
