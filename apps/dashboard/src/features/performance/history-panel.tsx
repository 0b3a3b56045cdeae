import type { Alert, HistoryMetric, HistorySeries, NodeList } from '@av-gym/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useDesk } from '../../app/desk-context.js';
import { type ChartLine, HistoryChart } from './history-chart.js';
import { alertWords, plainStatus } from './monitor-status.js';

/** The monitor's time ranges. */
export const RANGES = [
  { key: '15m', label: '15 min', ms: 15 * 60_000 },
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '24h', label: '24 h', ms: 86_400_000 },
  { key: '7d', label: '7 days', ms: 7 * 86_400_000 },
] as const;
type RangeKey = (typeof RANGES)[number]['key'];

/** What the charts show: the whole gym, one desk, or one node. */
export type Scope = { kind: 'all' } | { kind: 'desk'; id: string } | { kind: 'node'; id: string };

interface ChartSpec {
  title: string;
  unit: string;
  metrics: HistoryMetric[];
  /** Whose series: desk figures follow the desk scope, node figures the node scope. */
  of: 'desk' | 'node';
}

const CHARTS: ChartSpec[] = [
  { title: 'Desk quality', unit: '%', metrics: ['desk_quality'], of: 'desk' },
  { title: 'Desk latency p50', unit: 'ms', metrics: ['desk_latency_p50_ms'], of: 'desk' },
  { title: 'Ack latency p50 / p99', unit: 'ms', metrics: ['ack_p50_ms', 'ack_p99_ms'], of: 'node' },
  {
    title: 'Messages per second by type',
    unit: 'msg/s',
    metrics: [
      'messages_per_sec:check_in',
      'messages_per_sec:check_out',
      'messages_per_sec:member_update',
      'messages_per_sec:member_create',
    ],
    of: 'node',
  },
  {
    title: 'Reconnects (each desk, over its window)',
    unit: 'count',
    metrics: ['desk_reconnects'],
    of: 'desk',
  },
  { title: 'Events dropped for slow screens', unit: 'total', metrics: ['events_dropped'], of: 'node' },
  { title: 'Outbound queue', unit: 'bytes', metrics: ['queue_bytes'], of: 'node' },
];

const short = (metric: string) =>
  metric
    .replace(/^messages_per_sec:/, '')
    .replace(/_ms$/, '')
    .replace(/^ack_/, '');

function linesOf(spec: ChartSpec, docs: HistorySeries[][]): ChartLine[] {
  return docs.flatMap((series, i) =>
    series.slice(0, 8).map((s) => ({
      label: [spec.metrics.length > 1 ? short(spec.metrics[i] ?? '') : '', s.desk ?? s.node ?? '']
        .filter(Boolean)
        .join(' '),
      points: s.points,
    })),
  );
}

/** Status line, time-axis charts over 15 min / 1 h / 24 h / 7 days, nodes and alerts. */
export function HistoryPanel(props: {
  alerts: Alert[];
  scope: Scope;
  onScope(scope: Scope): void;
  desks: string[];
}) {
  const { api } = useDesk();
  const { scope } = props;
  const [range, setRange] = useState<RangeKey>('1h');
  const [charts, setCharts] = useState<ChartLine[][]>(() => CHARTS.map(() => []));
  const [nodes, setNodes] = useState<NodeList['nodes']>([]);
  const [error, setError] = useState<string | null>(null);
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [span, setSpan] = useState(() => ({ fromMs: Date.now() - 3_600_000, toMs: Date.now() }));
  const rangeMs = RANGES.find((r) => r.key === range)?.ms ?? 3_600_000;
  const rangeLabel = RANGES.find((r) => r.key === range)?.label ?? '1 h';

  const load = useCallback(async () => {
    const now = Date.now();
    setNowMs(now);
    try {
      const result = await Promise.all(
        CHARTS.map(async (spec) => {
          const filter =
            spec.of === 'desk' && scope.kind === 'desk'
              ? { desk: scope.id }
              : spec.of === 'node' && scope.kind === 'node'
                ? { node: scope.id }
                : {};
          const docs = await Promise.all(
            spec.metrics.map((metric) => api.history({ metric, from: now - rangeMs, to: now, ...filter })),
          );
          return linesOf(
            spec,
            docs.map((d) => d.series),
          );
        }),
      );
      setCharts(result);
      setSpan({ fromMs: now - rangeMs, toMs: now });
      setNodes(await api.nodes());
      setError(null);
    } catch {
      setError('History is unavailable right now.');
    }
  }, [api, rangeMs, scope]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 10_000);
    return () => clearInterval(timer);
  }, [load]);

  const status = plainStatus(props.alerts, nowMs);
  const scopeValue = scope.kind === 'all' ? 'all' : `${scope.kind}:${scope.id}`;
  return (
    <section className="card" aria-labelledby="history-title">
      <p
        className={`status-line ${status.healthy ? 'status-ok' : 'status-bad'}`}
        role="status"
        aria-label="Gym status"
      >
        <span aria-hidden="true">{status.healthy ? '✓ ' : '✕ '}</span>
        <span>{status.text}</span>
      </p>
      <div className="card-head">
        <h2 id="history-title">History</h2>
        <div className="toolbar">
          <fieldset className="segmented" aria-label="Time range">
            {RANGES.map((r) => (
              <button
                key={r.key}
                type="button"
                className="button small"
                aria-pressed={range === r.key}
                onClick={() => setRange(r.key)}
              >
                {r.label}
              </button>
            ))}
          </fieldset>
          <label className="switch">
            <span>Show</span>
            <select
              value={scopeValue}
              onChange={(e) => {
                const v = e.target.value;
                if (v === 'all') props.onScope({ kind: 'all' });
                else if (v.startsWith('desk:')) props.onScope({ kind: 'desk', id: v.slice(5) });
                else props.onScope({ kind: 'node', id: v.slice(5) });
              }}
            >
              <option value="all">The whole gym</option>
              {props.desks.map((d) => (
                <option key={`desk:${d}`} value={`desk:${d}`}>
                  Desk {d}
                </option>
              ))}
              {nodes.map((n) => (
                <option key={`node:${n.node}`} value={`node:${n.node}`}>
                  Node {n.node}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {error && (
        <p className="notice notice-poor" role="status">
          {error}
        </p>
      )}
      <div className="history-grid">
        {CHARTS.map((spec, i) => (
          <HistoryChart
            key={spec.title}
            title={spec.title}
            unit={spec.unit}
            lines={charts[i] ?? []}
            rangeLabel={rangeLabel}
            fromMs={span.fromMs}
            toMs={span.toMs}
          />
        ))}
      </div>
      <h3>Nodes</h3>
      <ul className="node-list" aria-label="Nodes">
        {nodes.map((n) => (
          <li key={n.node}>
            <button
              type="button"
              className="linkish"
              onClick={() => props.onScope({ kind: 'node', id: n.node })}
            >
              {n.node}
            </button>{' '}
            <span className={n.up ? 'ok' : 'bad'}>{n.up ? 'up' : 'not sampling'}</span>
            {n.self ? <span className="muted small"> (this tab's node)</span> : null}
          </li>
        ))}
      </ul>
      <h3>Alerts</h3>
      {props.alerts.length === 0 ? (
        <p className="muted">No alerts in the last 24 h.</p>
      ) : (
        <table className="alert-table" aria-label="Alerts">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">What</th>
              <th scope="col">Rule</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {props.alerts.slice(0, 50).map((a) => (
              <tr key={a.id} className={`alert-${a.state}`}>
                <td>{a.state}</td>
                <td>{alertWords(a, a.resolvedAt ?? nowMs)}</td>
                <td>
                  <code>{a.rule}</code>
                </td>
                <td>{new Date(a.startedAt).toLocaleTimeString('en-GB')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
