import {
  AuditPage,
  type AuditQuery,
  HttpErrorBody,
  StaffAccount,
  type StaffCreateRequest,
  StaffList,
  type StaffUpdateRequest,
} from '@av-gym/protocol';
import type * as z from 'zod';
import { ApiError, BAD_ANSWER } from '../../lib/api.js';
import { identity } from '../../lib/desk-identity.js';

/** The audit filters the screen sends (all optional); `before` continues a page. */
export type AuditFilters = Partial<Pick<AuditQuery, 'member' | 'staff' | 'desk' | 'day' | 'before'>> & {
  limit?: number;
};

/**
 * The staff admin, password and audit routes. Every request names this desk (`X-Desk-Id`, the
 * WebSocket clientId) so the audit rows of HTTP changes say where they were made.
 */
export class StaffApi {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void,
  ) {}

  private async call<S extends z.ZodType | undefined>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<S extends z.ZodType ? z.output<S> : undefined> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      'x-desk-id': identity().clientId,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) {
      let code = `HTTP_${res.status}`;
      let message = res.statusText || 'request failed';
      try {
        const parsed = HttpErrorBody.safeParse(await res.json());
        if (parsed.success) ({ error: code, message } = parsed.data);
      } catch {
        // not JSON: keep the status line
      }
      throw new ApiError(res.status, code, message);
    }
    if (!schema) return undefined as never;
    const parsed = schema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success)
      throw new ApiError(res.status, BAD_ANSWER, `${path}: the answer does not match its schema`);
    return parsed.data as never;
  }

  listStaff(): Promise<StaffList> {
    return this.call('GET', '/api/staff', StaffList);
  }
  createStaff(body: StaffCreateRequest): Promise<StaffAccount> {
    return this.call('POST', '/api/staff', StaffAccount, body);
  }
  updateStaff(username: string, body: StaffUpdateRequest): Promise<StaffAccount> {
    return this.call('PATCH', `/api/staff/${encodeURIComponent(username)}`, StaffAccount, body);
  }
  resetPassword(username: string, password: string): Promise<undefined> {
    return this.call('POST', `/api/staff/${encodeURIComponent(username)}/password`, undefined, { password });
  }
  changeOwnPassword(currentPassword: string, newPassword: string): Promise<undefined> {
    return this.call('POST', '/api/session/password', undefined, { currentPassword, newPassword });
  }
  audit(filters: AuditFilters): Promise<AuditPage> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filters))
      if (value !== undefined && value !== '') params.set(key, String(value));
    return this.call('GET', `/api/audit?${params}`, AuditPage);
  }
}

/** The words of a failed call, for a screen's alert. */
export function failureText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
