import type { Occupancy } from '@av-gym/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useDesk, useLiveEvents, useReload } from '../../app/desk-context.js';
import { occupancyLevel } from './occupancy-level.js';

const REFRESH_MS = 30_000;

/** Current / capacity with a coloured bar and words, today's total and the average stay. */
export function OccupancyPanel() {
  const { api } = useDesk();
  const [figures, setFigures] = useState<Occupancy | null>(null);

  const load = useCallback(() => {
    api
      .occupancy()
      .then(setFigures)
      .catch(() => {});
  }, [api]);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useReload(load);
  useLiveEvents((event) => {
    if (event.name === 'occupancy.changed') {
      const d = event.data as Partial<Occupancy>;
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
        <h2 id="occupancy-title">Occupancy</h2>
        <p className="muted">Loading…</p>
      </section>
    );
  }
  const level = occupancyLevel(figures.current, figures.capacity);
  return (
    <section className="card occupancy" aria-labelledby="occupancy-title">
      <h2 id="occupancy-title">Occupancy</h2>
      <p className="occupancy-figure">
        <strong>{figures.current}</strong> <span className="muted">/ {figures.capacity} in the gym</span>
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
    </section>
  );
}
