import type { Occupancy } from '@av-gym/protocol';
import { useCallback, useEffect, useState } from 'react';
import { isOnline, useConnectionState, useDesk, useLiveEvents, useReload } from '../../app/desk-context.js';
import { clockTime } from '../../lib/member-index.js';
import { clubName } from '../clubs/use-desk-club.js';
import { OccupancyForecast } from '../forecast/forecast-band.js';
import { occupancyLevel } from './occupancy-level.js';

const REFRESH_MS = 30_000;
const CACHE_KEY = 'av-gym.occupancy';

/** The last figures this desk saw, so a reload while the server is down still shows them (as of then). */
function cached(): { figures: Occupancy; atMs: number } | null {
  try {
    const raw = JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null') as {
      figures?: Occupancy;
      atMs?: number;
    } | null;
    if (raw?.figures && typeof raw.atMs === 'number' && typeof raw.figures.current === 'number') {
      return { figures: raw.figures, atMs: raw.atMs };
    }
  } catch {
    // not ours, or cut short: no cache
  }
  return null;
}

/** Current / capacity with a coloured bar and words, today's total and the average stay. */
export function OccupancyPanel() {
  const { api, club } = useDesk();
  const clubId = club?.clubId;
  const title = club && clubId ? `Occupancy · ${clubName(club.clubs, clubId)}` : 'Occupancy';
  const online = isOnline(useConnectionState());
  const [initial] = useState(cached);
  const [figures, setFiguresState] = useState<Occupancy | null>(initial?.figures ?? null);
  const [atMs, setAtMs] = useState<number | null>(initial?.atMs ?? null);

  const setFigures = useCallback((next: Occupancy | ((old: Occupancy | null) => Occupancy)) => {
    setFiguresState((old) => {
      const value = typeof next === 'function' ? next(old) : next;
      const now = Date.now();
      setAtMs(now);
      try {
        localStorage.setItem(CACHE_KEY, JSON.stringify({ figures: value, atMs: now }));
      } catch {
        // storage full or refused: the figures still show
      }
      return value;
    });
  }, []);

  const load = useCallback(() => {
    api
      .occupancy(clubId)
      .then(setFigures)
      .catch(() => {});
  }, [api, setFigures, clubId]);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useReload(load);
  useLiveEvents((event) => {
    if (event.name === 'occupancy.changed') {
      const all = event.data as Partial<Occupancy> & { clubs?: Partial<Occupancy & { clubId: string }>[] };
      // a desk at a club follows its club's figures (issue 17); the chain's when the server sends none
      const d = clubId && Array.isArray(all.clubs) ? all.clubs.find((c) => c.clubId === clubId) : all;
      if (!d) return;
      setFigures((old) => ({
        current: d.current ?? old?.current ?? 0,
        capacity: d.capacity ?? old?.capacity ?? 1,
        todayTotal: d.todayTotal ?? old?.todayTotal ?? 0,
        averageStayMinutes: old?.averageStayMinutes ?? 0,
      }));
    } else if (event.name === 'check_out.created') {
      load();
    }
  });

  if (!figures) {
    return (
      <section className="card" aria-labelledby="occupancy-title">
        <h2 id="occupancy-title">{title}</h2>
        <p className="muted">Loading…</p>
      </section>
    );
  }
  const level = occupancyLevel(figures.current, figures.capacity);
  return (
    <section className="card occupancy" aria-labelledby="occupancy-title">
      <h2 id="occupancy-title">{title}</h2>
      {!online && atMs !== null && (
        <p className="notice notice-fair as-of" role="note">
          Offline: as of {clockTime(atMs)}
        </p>
      )}
      <p className="occupancy-figure">
        <strong>{figures.current}</strong>{' '}
        <span className="muted">
          / {figures.capacity} in the {clubId ? 'club' : 'gym'}
        </span>
      </p>
      {/* biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot take the banded colours reliably */}
      <div
        className={`bar tone-${level.tone}`}
        role="meter"
        aria-label="Occupancy"
        aria-valuemin={0}
        aria-valuemax={figures.capacity}
        aria-valuenow={figures.current}
        aria-valuetext={`${figures.current} of ${figures.capacity}, ${level.label}`}
      >
        <div className="bar-fill" style={{ width: `${Math.min(100, level.percent)}%` }} />
      </div>
      <p className={`level-text tone-text-${level.tone}`}>
        {level.percent} % · {level.label}
      </p>
      <dl className="facts facts-inline">
        <div>
          <dt>Today</dt>
          <dd>{figures.todayTotal} visits</dd>
        </div>
        <div>
          <dt>Average stay</dt>
          <dd>{Math.round(figures.averageStayMinutes)} min</dd>
        </div>
      </dl>
      <OccupancyForecast capacity={figures.capacity} {...(clubId ? { club: clubId } : {})} />
    </section>
  );
}
