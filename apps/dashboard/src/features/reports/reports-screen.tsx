import { type Club, REPORT_MAX_DAYS, type ReportName, type ReportsDocument } from '@av-gym/protocol';
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useDesk } from '../../app/desk-context.js';
import type { ReportQuery } from '../../lib/api.js';
import { HeatMap } from './heat-map.js';
import { MemberTable } from './member-table.js';
import { VisitsChart } from './visits-chart.js';
import './reports.css';

const DAY_MS = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Saves `text` as a file through a temporary link (the CSV comes over an authorised fetch, not a plain link). */
function saveFile(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function CsvButton(props: { name: ReportName; query: ReportQuery; label: string }) {
  const { api } = useDesk();
  const [error, setError] = useState<string | null>(null);
  const download = () => {
    setError(null);
    api
      .reportCsv(props.name, props.query)
      .then(({ text, fileName }) => saveFile(fileName, text))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : 'download failed'));
  };
  return (
    <>
      <button type="button" className="button ghost small" onClick={download}>
        Download {props.label} (CSV)
      </button>
      {error ? <span role="alert">{error}</span> : null}
    </>
  );
}

function Section(props: {
  id: string;
  title: string;
  csv: ReportName;
  query: ReportQuery;
  children: React.ReactNode;
}) {
  return (
    <section className="card report" aria-labelledby={props.id}>
      <div className="report-head">
        <h2 id={props.id}>{props.title}</h2>
        <CsvButton name={props.csv} query={props.query} label={props.title.toLowerCase()} />
      </div>
      {props.children}
    </section>
  );
}

/** The manager reports: a club (or the chain) and a date range, then every report with its CSV download. */
export function ReportsScreen() {
  const { api } = useDesk();
  const formId = useId();
  const [clubs, setClubs] = useState<Club[]>([]);
  const [club, setClub] = useState('');
  const [from, setFrom] = useState(() => isoDate(Date.now() - 29 * DAY_MS));
  const [to, setTo] = useState(() => isoDate(Date.now()));
  const [query, setQuery] = useState<ReportQuery | null>(null);
  const [doc, setDoc] = useState<ReportsDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    api
      .clubList()
      .then((list) => setClubs(list.clubs))
      .catch(() => setClubs([]));
  }, [api]);

  const load = useCallback(
    (q: ReportQuery) => {
      setLoading(true);
      setError(null);
      api
        .reports(q)
        .then((d) => {
          setDoc(d);
          setQuery(q);
        })
        .catch((e: unknown) => setError(e instanceof Error ? e.message : 'the reports could not be loaded'))
        .finally(() => setLoading(false));
    },
    [api],
  );

  useEffect(() => {
    load({ from: isoDate(Date.now() - 29 * DAY_MS), to: isoDate(Date.now()), tz: browserZone() });
  }, [load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
    if (!(days >= 1)) return setError('The start date must not be after the end date.');
    if (days > REPORT_MAX_DAYS) return setError(`Choose at most ${REPORT_MAX_DAYS} days (two years).`);
    load(club ? { from, to, club } : { from, to, tz: browserZone() });
  };

  const scope = doc
    ? doc.club
      ? (clubs.find((c) => c.id === doc.club)?.name ?? doc.club)
      : 'All clubs'
    : '';
  return (
    <div className="reports">
      <section className="card" aria-labelledby={`${formId}-title`}>
        <h2 id={`${formId}-title`}>Reports</h2>
        <form className="report-form" onSubmit={submit}>
          <label>
            Club
            <select value={club} onChange={(e) => setClub(e.target.value)}>
              <option value="">All clubs</option>
              {clubs.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input type="date" required value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To
            <input type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit" className="button primary" disabled={loading}>
            {loading ? 'Loading…' : 'Show reports'}
          </button>
        </form>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        {doc ? (
          <p className="muted">
            {scope}, {doc.from} to {doc.to} ({doc.timeZone} time)
          </p>
        ) : null}
      </section>
      {doc && query ? (
        <>
          <Section id={`${formId}-heat`} title="Visits by hour of week" csv="visits-by-hour" query={query}>
            <HeatMap
              report={doc.visitsByHour}
              caption={`Visits by hour of week, ${scope}, ${doc.from} to ${doc.to}`}
            />
          </Section>
          <Section id={`${formId}-days`} title="Visits per day" csv="visits-per-day" query={query}>
            <VisitsChart report={doc.visitsPerDay} />
          </Section>
          <Section id={`${formId}-stay`} title="Average stay" csv="average-stay" query={query}>
            <p className="big-figure">
              {doc.averageStay.averageStayMinutes} min
              <span className="muted"> over {doc.averageStay.closedVisits} finished visits</span>
            </p>
          </Section>
          <Section id={`${formId}-risk`} title="Members at risk" csv="members-at-risk" query={query}>
            <p className="muted">Active members with no visit in the last 30 days.</p>
            <MemberTable
              report={doc.membersAtRisk}
              caption="Members at risk"
              empty="Nobody: every active member came in the last 30 days."
            />
          </Section>
          <Section id={`${formId}-expiring`} title="Expiring memberships" csv="expiring" query={query}>
            <p className="muted">Memberships that end in the next 30 days.</p>
            <MemberTable
              report={doc.expiring}
              caption="Expiring memberships"
              empty="No membership ends in the next 30 days."
            />
          </Section>
          <Section
            id={`${formId}-months`}
            title="New and lapsed members"
            csv="members-per-month"
            query={query}
          >
            <div className="report-table-wrap">
              <table className="report-table">
                <caption className="visually-hidden">New and lapsed members per month</caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col">New</th>
                    <th scope="col">Lapsed</th>
                  </tr>
                </thead>
                <tbody>
                  {doc.membersPerMonth.months.map((m) => (
                    <tr key={m.month}>
                      <td>{m.month}</td>
                      <td>{m.joined}</td>
                      <td>{m.lapsed}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
        </>
      ) : null}
    </div>
  );
}
