import {
  type Alert,
  AlertList,
  ClubList,
  ClubOccupancyList,
  DeskInfo,
  ForecastDocument,
  HistoryDocument,
  type HistoryMetric,
  HttpErrorBody,
  Member,
  MemberList,
  type MemberStatus,
  NodeList,
  Occupancy,
  type ReportName,
  ReportsDocument,
  SessionToken,
  StatsDocument,
  type Visit,
  VisitList,
} from '@av-gym/protocol';
import type * as z from 'zod';

/** The code of an ApiError for an answer that is not JSON or does not match its protocol schema. */
export const BAD_ANSWER = 'BAD_ANSWER';

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
    const body = HttpErrorBody.safeParse(await res.json());
    if (body.success) ({ error: code, message } = body.data);
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message, retryAfter(res));
}

/** A 2xx answer parsed with its protocol schema; an ApiError (BAD_ANSWER) naming the first mismatch otherwise. */
async function readAnswer<S extends z.ZodType>(res: Response, schema: S, what: string): Promise<z.output<S>> {
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ApiError(res.status, BAD_ANSWER, `${what}: the answer is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ApiError(
    res.status,
    BAD_ANSWER,
    `${what}: the answer does not match the protocol (${where}${issue?.message ?? 'invalid'})`,
  );
}

/** Thin typed wrapper over the server's HTTP API; every call carries the staff token. */
export class Api {
  private readonly token: string;
  private readonly onUnauthorized: () => void;

  constructor(token: string, onUnauthorized: () => void = () => {}) {
    this.token = token;
    this.onUnauthorized = onUnauthorized;
  }

  private async get<S extends z.ZodType>(
    path: string,
    schema: S,
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    const res = await fetch(path, {
      headers: { authorization: `Bearer ${this.token}` },
      ...(signal ? { signal } : {}),
    });
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) throw await readError(res);
    return readAnswer(res, schema, `GET ${path.split('?')[0]}`);
  }

  async searchMembers(
    query: { q?: string; status?: MemberStatus; limit?: number },
    signal?: AbortSignal,
  ): Promise<Member[]> {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    if (query.status) params.set('status', query.status);
    params.set('limit', String(query.limit ?? 10));
    const body = await this.get(`/api/members?${params}`, MemberList, signal);
    return body.members;
  }

  getMember(id: string): Promise<Member> {
    return this.get(`/api/members/${encodeURIComponent(id)}`, Member);
  }

  async listVisits(query: { memberId?: string; open?: boolean; limit?: number }): Promise<Visit[]> {
    const params = new URLSearchParams();
    if (query.memberId) params.set('memberId', query.memberId);
    if (query.open !== undefined) params.set('open', String(query.open));
    params.set('limit', String(query.limit ?? 20));
    const body = await this.get(`/api/visits?${params}`, VisitList);
    return body.visits;
  }

  occupancy(clubId?: string): Promise<Occupancy> {
    return this.get(`/api/occupancy${clubId ? `?clubId=${encodeURIComponent(clubId)}` : ''}`, Occupancy);
  }

  stats(): Promise<StatsDocument> {
    return this.get('/api/stats', StatsDocument);
  }

  /** One metric's history over `[from, to)` (default: the last hour), for one desk or node or all. */
  history(query: { metric: HistoryMetric; desk?: string; node?: string; from?: number; to?: number }) {
    const params = new URLSearchParams({ metric: query.metric });
    if (query.desk) params.set('desk', query.desk);
    if (query.node) params.set('node', query.node);
    if (query.from !== undefined) params.set('from', String(Math.floor(query.from)));
    if (query.to !== undefined) params.set('to', String(Math.floor(query.to)));
    return this.get(`/api/history?${params}`, HistoryDocument);
  }

  /** Alerts not resolved, and those that changed in the last 24 h. */
  async alerts(): Promise<Alert[]> {
    return (await this.get('/api/alerts', AlertList)).alerts;
  }

  async nodes(): Promise<NodeList['nodes']> {
    return (await this.get('/api/nodes', NodeList)).nodes;
  }

  /** Every club, in order (issue 17). */
  async clubList(): Promise<ClubList> {
    return this.get('/api/clubs', ClubList);
  }

  /** This desk's club (the default club until the desk is set up). */
  deskClub(deskId: string): Promise<DeskInfo> {
    return this.get(`/api/desks/${encodeURIComponent(deskId)}`, DeskInfo);
  }

  /** Sets this desk's club; the server checks it against the clubs (404 CLUB_NOT_FOUND). */
  async setDeskClub(deskId: string, clubId: string): Promise<DeskInfo> {
    const res = await fetch(`/api/desks/${encodeURIComponent(deskId)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clubId }),
    });
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) throw await readError(res);
    return readAnswer(res, DeskInfo, 'PUT /api/desks');
  }

  /** Every club's occupancy now (head office). */
  async clubOccupancy(): Promise<ClubOccupancyList['clubs']> {
    return (await this.get('/api/clubs/occupancy', ClubOccupancyList)).clubs;
  }

  /** Every report over `from`..`to` for one club, or the chain in `tz`. */
  reports(query: ReportQuery): Promise<ReportsDocument> {
    return this.get(`/api/reports?${reportParams(query)}`, ReportsDocument);
  }

  /** One report as the server writes it in CSV (the text of `/api/reports/:name.csv`). */
  async reportCsv(name: ReportName, query: ReportQuery): Promise<{ text: string; fileName: string }> {
    const res = await fetch(`/api/reports/${name}.csv?${reportParams(query)}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    if (res.status === 401) this.onUnauthorized();
    if (!res.ok) throw await readError(res);
    const disposition = res.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${name}.csv`;
    return { text: await res.text(), fileName };
  }

  /** The next 3 hours of a club's occupancy (or the chain's). */
  forecastOccupancy(club?: string): Promise<ForecastDocument> {
    return this.get(
      `/api/forecast/occupancy${club ? `?club=${encodeURIComponent(club)}` : ''}`,
      ForecastDocument,
    );
  }

  /** The next 24 hours of the server's message load. */
  forecastLoad(): Promise<ForecastDocument> {
    return this.get('/api/forecast/load', ForecastDocument);
  }

  async logout(): Promise<void> {
    await fetch('/api/session', { method: 'DELETE', headers: { authorization: `Bearer ${this.token}` } });
  }
}

/** What a report read names: dates `YYYY-MM-DD` (both included), a club id or the chain in a time zone. */
export interface ReportQuery {
  from: string;
  to: string;
  club?: string;
  tz?: string;
}

function reportParams(q: ReportQuery): URLSearchParams {
  const params = new URLSearchParams({ from: q.from, to: q.to });
  if (q.club) params.set('club', q.club);
  else if (q.tz) params.set('tz', q.tz);
  return params;
}

/** Exchanges staff credentials for a session token; throws ApiError (401) on bad ones. */
export async function login(username: string, password: string): Promise<SessionToken> {
  const res = await fetch('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw await readError(res);
  return readAnswer(res, SessionToken, 'POST /api/session');
}
