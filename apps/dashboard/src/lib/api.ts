import type { Member, MemberStatus } from '@av-gym/protocol';

/** One visit as `GET /api/visits` returns it. */
export interface VisitRow {
  id: string;
  memberId: string;
  memberName: string;
  deskId: string | null;
  checkedInAt: number;
  checkedOutAt: number | null;
}

/** `GET /api/occupancy`. */
export interface OccupancyFigures {
  current: number;
  capacity: number;
  todayTotal: number;
  averageStayMinutes: number;
}

/** A session as `POST /api/session` returns it. */
export interface SessionToken {
  token: string;
  expiresAt: number;
}

/** An HTTP failure with the server's `{error, message}` when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds the server asked to wait (`Retry-After`), when it did. */
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, code: string, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** `Retry-After` in seconds (a number or an HTTP date), or undefined. */
function retryAfter(res: Response): number | undefined {
  const value = res.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : undefined;
}

async function readError(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || 'request failed';
  try {
    const body = (await res.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message, retryAfter(res));
}

/** Thin typed wrapper over the server's HTTP API; every call carries the staff token. */
export class Api {
  private readonly token: string;
  private readonly onUnauthorized: () => void;

  constructor(token: string, onUnauthorized: () => void = () => {}) {
    this.token = token;
    this.onUnauthorized = onUnauthorized;
  }

  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const res = await fetch(path, {
      headers: { authorization: `Bearer ${this.token}` },
      ...(signal ? { signal } : {}),
    });
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) throw await readError(res);
    return (await res.json()) as T;
  }

  async searchMembers(
    query: { q?: string; status?: MemberStatus; limit?: number },
    signal?: AbortSignal,
  ): Promise<Member[]> {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    if (query.status) params.set('status', query.status);
    params.set('limit', String(query.limit ?? 10));
    const body = await this.get<{ members: Member[] }>(`/api/members?${params}`, signal);
    return body.members;
  }

  getMember(id: string): Promise<Member> {
    return this.get<Member | { member: Member }>(`/api/members/${encodeURIComponent(id)}`).then((body) =>
      'member' in body ? body.member : body,
    );
  }

  async listVisits(query: { memberId?: string; open?: boolean; limit?: number }): Promise<VisitRow[]> {
    const params = new URLSearchParams();
    if (query.memberId) params.set('memberId', query.memberId);
    if (query.open !== undefined) params.set('open', String(query.open));
    params.set('limit', String(query.limit ?? 20));
    const body = await this.get<{ visits: VisitRow[] }>(`/api/visits?${params}`);
    return body.visits;
  }

  occupancy(): Promise<OccupancyFigures> {
    return this.get<OccupancyFigures>('/api/occupancy');
  }

  stats(): Promise<unknown> {
    return this.get<unknown>('/api/stats');
  }

  async logout(): Promise<void> {
    await fetch('/api/session', { method: 'DELETE', headers: { authorization: `Bearer ${this.token}` } });
  }
}

/** Exchanges staff credentials for a session token; throws ApiError (401) on bad ones. */
export async function login(username: string, password: string): Promise<SessionToken> {
  const res = await fetch('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw await readError(res);
  return (await res.json()) as SessionToken;
}
