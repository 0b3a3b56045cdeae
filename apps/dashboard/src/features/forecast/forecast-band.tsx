import type { ForecastDocument } from '@av-gym/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useDesk } from '../../app/desk-context.js';
import './forecast.css';

const REFRESH_MS = 5 * 60_000;
const hourText = (ms: number) =>
  new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
const round = (v: number) => (v >= 10 ? Math.round(v).toString() : v.toFixed(1));

/** Polls one forecast every 5 minutes (the model moves by the hour); null until the first answer or when there is none. */
export function useForecast(read: () => Promise<ForecastDocument>): ForecastDocument | null {
  const [doc, setDoc] = useState<ForecastDocument | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      read()
        .then((d) => live && setDoc(d))
        .catch(() => live && setDoc(null));
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [read]);
  return doc;
}

/**
 * A forecast as a band: the expected value and its 95 % interval per hour, drawn as a shaded band
 * around a line (SVG scaled to its box) and written out in a list, so the figures read without the picture.
 */
export function ForecastBand(props: {
  doc: ForecastDocument;
  title: string;
  unit: string;
  capacity?: number | null;
}) {
  const { doc, unit } = props;
  if (doc.model === 'none' || doc.points.length === 0)
    return <p className="muted">{props.title}: no history to forecast from yet.</p>;
  const W = 300;
  const H = 60;
  const top = Math.max(1, props.capacity ?? 0, ...doc.points.map((p) => p.high));
  const x = (i: number) => (doc.points.length === 1 ? W / 2 : (i / (doc.points.length - 1)) * W);
  const y = (v: number) => H - (v / top) * H;
  const band = [
    ...doc.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.high).toFixed(1)}`),
    ...doc.points
      .map((p, i) => ({ p, i }))
      .reverse()
      .map(({ p, i }) => `L${x(i).toFixed(1)},${y(p.low).toFixed(1)}`),
    'Z',
  ].join('');
  const line = doc.points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.mean).toFixed(1)}`)
    .join('');
  const peak = doc.points.reduce((a, b) => (b.mean > a.mean ? b : a));
  const summary = `${props.title}: up to ${round(peak.mean)} ${unit} expected at ${hourText(peak.at)} (95 % interval ${round(peak.low)} to ${round(peak.high)})`;
  return (
    <figure className="forecast-band">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        <path d={band} className="forecast-interval" />
        <path d={line} className="forecast-mean" />
        {props.capacity ? (
          <line x1={0} x2={W} y1={y(props.capacity)} y2={y(props.capacity)} className="forecast-capacity" />
        ) : null}
      </svg>
      <figcaption>
        <strong>{props.title}</strong>{' '}
        <span className="muted">
          ({doc.model === 'mean' ? 'mean of the history so far' : 'seasonal model'}, 95 % interval)
        </span>
        {doc.points.length <= 6 ? (
          <ol>
            {doc.points.map((p) => (
              <li key={p.at}>
                {hourText(p.at)}: {round(p.mean)} {unit}{' '}
                <span className="muted">
                  ({round(p.low)}–{round(p.high)})
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <p>{summary}</p>
        )}
      </figcaption>
    </figure>
  );
}

/** The next 3 hours of occupancy for the desk's occupancy panel. */
export function OccupancyForecast(props: { capacity: number; club?: string }) {
  const { api } = useDesk();
  const { club } = props;
  const read = useCallback(() => api.forecastOccupancy(club), [api, club]);
  const doc = useForecast(read);
  return doc ? <ForecastBand doc={doc} title="Next 3 hours" unit="people" capacity={props.capacity} /> : null;
}

/** The next 24 hours of message load for the monitor, with the configured capacity when set. */
export function LoadForecast() {
  const { api } = useDesk();
  const read = useCallback(() => api.forecastLoad(), [api]);
  const doc = useForecast(read);
  return doc ? (
    <section className="card" aria-labelledby="load-forecast-title">
      <h2 id="load-forecast-title">Expected load, next 24 hours</h2>
      <ForecastBand doc={doc} title="Messages per second" unit="msgs/s" capacity={doc.capacity} />
      {doc.capacity ? (
        <p className="muted">Line: the capacity measured by the bench ({doc.capacity} msgs/s).</p>
      ) : null}
    </section>
  ) : null;
}
