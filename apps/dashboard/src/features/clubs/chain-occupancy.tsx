import type { ClubOccupancy } from '@av-gym/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useDesk, useLiveEvents, useReload } from '../../app/desk-context.js';
import { occupancyLevel } from '../front-desk/occupancy-level.js';
import { clubName } from './use-desk-club.js';

const REFRESH_MS = 30_000;

/** Head office: every club's occupancy and the chain's total, live from `occupancy.changed` (its `clubs`). */
export function ChainOccupancy() {
  const { api, club } = useDesk();
  const [rows, setRows] = useState<ClubOccupancy[] | null>(null);

  const load = useCallback(() => {
    api
      .clubOccupancy()
      .then(setRows)
      .catch(() => {});
  }, [api]);
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  useReload(load);
  useLiveEvents((event) => {
    if (event.name !== 'occupancy.changed') return;
    const changed = (event.data as { clubs?: ClubOccupancy[] }).clubs;
    if (!Array.isArray(changed)) return;
    setRows((old) => (old ?? []).map((row) => changed.find((c) => c.clubId === row.clubId) ?? row));
  });

  if (!rows || rows.length < 2) return null;
  const chain = rows.reduce(
    (sum, r) => ({
      current: sum.current + r.current,
      capacity: sum.capacity + r.capacity,
      todayTotal: sum.todayTotal + r.todayTotal,
    }),
    { current: 0, capacity: 0, todayTotal: 0 },
  );
  return (
    <section className="card chain-occupancy" aria-labelledby="chain-occupancy-title">
      <h2 id="chain-occupancy-title">Occupancy by club</h2>
      <table className="chain-table">
        <thead>
          <tr>
            <th scope="col">Club</th>
            <th scope="col">In now</th>
            <th scope="col">Capacity</th>
            <th scope="col">Today</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const level = occupancyLevel(r.current, r.capacity);
            return (
              <tr key={r.clubId} aria-current={r.clubId === club?.clubId ? 'true' : undefined}>
                <th scope="row">{clubName(club?.clubs ?? [], r.clubId)}</th>
                <td>
                  {r.current} <span className={`tone-text-${level.tone}`}>({level.percent} %)</span>
                </td>
                <td>{r.capacity}</td>
                <td>{r.todayTotal}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Whole chain</th>
            <td>{chain.current}</td>
            <td>{chain.capacity}</td>
            <td>{chain.todayTotal}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
