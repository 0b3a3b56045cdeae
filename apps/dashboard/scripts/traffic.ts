import { WebSocketService } from '@av-gym/client';
import type { Member } from '@av-gym/protocol';
import WebSocket from 'ws';
import { checkOutShare, dayIntensity, simulatedHour } from '../src/lib/day-curve.js';

/** What one simulated run does. */
export interface TrafficOptions {
  /** `http://host:port` of a running server. */
  baseUrl: string;
  token: string;
  desks: number;
  /** Desk actions per second at the day's peak. */
  ratePerSec: number;
  durationMs: number;
  /** Share of check-in attempts that pick an expired or frozen member (refused). Default 0.05. */
  inactiveShare?: number;
  /** Share of actions that edit a member. Default 0.08. */
  editShare?: number;
  random?: () => number;
  onProgress?: (progress: TrafficProgress) => void;
  /** Stops the run early when aborted. */
  signal?: AbortSignal;
}

export interface TrafficProgress {
  elapsedMs: number;
  hour: number;
  sent: number;
  accepted: number;
  refused: Record<string, number>;
  inFlight: number;
  inside: number;
}

async function fetchMembers(baseUrl: string, token: string): Promise<Member[]> {
  const res = await fetch(`${baseUrl}/api/members?limit=500`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`GET /api/members: HTTP ${res.status} (is the token valid?)`);
  return ((await res.json()) as { members: Member[] }).members;
}

async function fetchInside(baseUrl: string, token: string): Promise<Set<string>> {
  const res = await fetch(`${baseUrl}/api/visits?open=true&limit=1000`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) return new Set();
  return new Set(((await res.json()) as { visits: { memberId: string }[] }).visits.map((v) => v.memberId));
}

const NOTES = ['Asked about yoga classes', 'Locker 17', 'New towel card', 'Prefers evening sessions', ''];
const TICK_MS = 50;

/**
 * Drives desk traffic over real WebSockets with `@av-gym/client`: check-ins and check-outs of
 * real members following a day's curve, member edits, and some inactive members. Bounded in
 * time (`durationMs`) and count (at most `ratePerSec x seconds` actions).
 */
export async function runTraffic(options: TrafficOptions): Promise<TrafficProgress> {
  const random = options.random ?? Math.random;
  const inactiveShare = options.inactiveShare ?? 0.05;
  const editShare = options.editShare ?? 0.08;
  const members = await fetchMembers(options.baseUrl, options.token);
  const today = new Date().toISOString().slice(0, 10);
  const usable = members.filter((m) => m.status === 'active' && m.expiresAt >= today);
  const inactive = members.filter((m) => m.status !== 'active' || m.expiresAt < today);
  if (usable.length === 0) throw new Error('the server has no active members to check in');
  const inside = await fetchInside(options.baseUrl, options.token);
  const wsUrl = `${options.baseUrl.replace(/^http/, 'ws')}/ws`;
  const desks = Array.from({ length: Math.max(1, options.desks) }, (_, i) => {
    const service = new WebSocketService({
      url: wsUrl,
      token: options.token,
      clientId: `sim-desk-${i + 1}`,
      WebSocket: WebSocket as never,
      clientStatsIntervalMs: 5_000,
    });
    void Promise.resolve(service.connect()).catch(() => {});
    return service;
  });

  const progress: TrafficProgress = {
    elapsedMs: 0,
    hour: 6,
    sent: 0,
    accepted: 0,
    refused: {},
    inFlight: 0,
    inside: inside.size,
  };
  const maxActions = Math.ceil(options.ratePerSec * (options.durationMs / 1000));
  const busy = new Set<string>();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const track = (memberId: string, promise: Promise<unknown>, onOk: () => void) => {
    progress.sent++;
    progress.inFlight++;
    busy.add(memberId);
    promise
      .then((raw) => {
        const r = raw as { ok: boolean; code?: string };
        if (r.ok) {
          progress.accepted++;
          onOk();
        } else {
          const code = r.code ?? 'UNKNOWN';
          progress.refused[code] = (progress.refused[code] ?? 0) + 1;
        }
      })
      .catch(() => {
        progress.refused.CLIENT_ERROR = (progress.refused.CLIENT_ERROR ?? 0) + 1;
      })
      .finally(() => {
        progress.inFlight--;
        busy.delete(memberId);
      });
  };

  const startedAt = Date.now();
  let credit = 0;
  let lastReportAt = 0;
  let deskTurn = 0;
  while (
    progress.sent < maxActions &&
    Date.now() - startedAt < options.durationMs &&
    !options.signal?.aborted
  ) {
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    progress.elapsedMs = Date.now() - startedAt;
    progress.hour = simulatedHour(progress.elapsedMs, options.durationMs);
    credit += options.ratePerSec * dayIntensity(progress.hour) * (TICK_MS / 1000);
    while (credit >= 1 && progress.sent < maxActions) {
      credit -= 1;
      const deskIndex = deskTurn++ % desks.length;
      const desk = desks[deskIndex]!;
      const deskId = `sim-desk-${deskIndex + 1}`;
      const roll = random();
      if (roll < editShare) {
        const m = pick(members);
        const changes =
          random() < 0.5
            ? { notes: pick(NOTES) }
            : { phone: `+44 7700 9${String(Math.floor(random() * 1e5)).padStart(5, '0')}` };
        track(m.id, desk.send('member_update', { memberId: m.id, changes }), () => {});
      } else if (random() < checkOutShare(progress.hour, inside.size)) {
        const candidates = [...inside].filter((id) => !busy.has(id));
        if (candidates.length === 0) continue;
        const id = pick(candidates);
        track(id, desk.send('check_out', { memberId: id, deskId }), () => inside.delete(id));
      } else {
        const pool = random() < inactiveShare && inactive.length > 0 ? inactive : usable;
        const m = pick(pool);
        if (inside.has(m.id) || busy.has(m.id)) continue;
        track(m.id, desk.send('check_in', { memberId: m.id, deskId }), () => inside.add(m.id));
      }
    }
    progress.inside = inside.size;
    if (options.onProgress && progress.elapsedMs - lastReportAt >= 1_000) {
      lastReportAt = progress.elapsedMs;
      options.onProgress({ ...progress, refused: { ...progress.refused } });
    }
  }
  const drainUntil = Date.now() + 5_000;
  while (progress.inFlight > 0 && Date.now() < drainUntil)
    await new Promise((resolve) => setTimeout(resolve, 50));
  for (const desk of desks) desk.close();
  progress.elapsedMs = Date.now() - startedAt;
  progress.inside = inside.size;
  return progress;
}
