import { useCallback, useEffect, useState } from 'react';
import { useDesk } from '../../app/desk-context.js';
import { LoadForecast } from '../forecast/forecast-band.js';
import { formatBytes, formatCount, formatMs, formatPercent } from './format.js';
import { HistoryPanel, type Scope } from './history-panel.js';
import { LatencyChart } from './latency-chart.js';
import { MetricTile } from './metric-tile.js';
import { type MetricsView, toMetricsView } from './metrics-view.js';
import { MonitorDetails } from './monitor-details.js';
import { latencyLevel, scoreLevel } from './quality-colour.js';
import { ServerPanel } from './server-panel.js';
import { type ServerStatsView, toServerStatsView } from './server-stats-view.js';
import { useAlerts } from './use-alerts.js';
import './performance.css';

/** How often the monitor reads the client's metrics and the server's stats (the seed's 5 s). */
export const REFRESH_INTERVAL_MS = 5_000;

/** The seed's PerformanceMonitor: this tab's connection figures and the server's, refreshed every 5 s. */
export function PerformanceMonitor() {
  const { api, realtime } = useDesk();
  const [metrics, setMetrics] = useState<MetricsView>(() => toMetricsView(realtime.metrics()));
  const [server, setServer] = useState<ServerStatsView | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [optimization, setOptimization] = useState(() => toMetricsView(realtime.metrics()).optimization);
  const [updatedAtMs, setUpdatedAtMs] = useState(() => Date.now());
  const alerts = useAlerts();
  const [scope, setScope] = useState<Scope>({ kind: 'all' });
  const [desks, setDesks] = useState<string[]>([]);

  const refresh = useCallback(() => {
    setMetrics(toMetricsView(realtime.metrics()));
    setUpdatedAtMs(Date.now());
    api
      .stats()
      .then((stats) => {
        setServer(toServerStatsView(stats));
        setDesks(stats.fleet.map((d) => d.clientId).slice(0, 100));
        setServerError(null);
      })
      .catch(() => setServerError('Server figures are unavailable right now.'));
  }, [api, realtime]);

  useEffect(() => {
    refresh();
  }, [refresh]);

  useEffect(() => {
    if (!autoRefresh) return;
    const timer = setInterval(refresh, REFRESH_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [autoRefresh, refresh]);

  const quality = scoreLevel(metrics.quality.score);
  const latency = latencyLevel(metrics.latency.avgMs);
  return (
    <div className="monitor-stack">
      <HistoryPanel alerts={alerts} scope={scope} onScope={setScope} desks={desks} />
      <LoadForecast />
      <section className="monitor-stack" aria-labelledby="monitor-title">
        <div className="card">
          <div className="card-head">
            <h2 id="monitor-title">Performance monitor</h2>
            <div className="toolbar">
              <label className="switch">
                <input
                  type="checkbox"
                  checked={autoRefresh}
                  onChange={(e) => setAutoRefresh(e.target.checked)}
                />
                <span>Auto-refresh every 5 s</span>
              </label>
              <label className="switch">
                <input
                  type="checkbox"
                  checked={optimization}
                  onChange={(e) => {
                    realtime.setOptimization(e.target.checked);
                    setOptimization(e.target.checked);
                    refresh();
                  }}
                />
                <span>Batching optimisation</span>
              </label>
              <button type="button" className="button small" onClick={refresh}>
                Refresh now
              </button>
            </div>
          </div>
          <p className="muted small" aria-live="off">
            Updated {new Date(updatedAtMs).toLocaleTimeString('en-GB')}
            {autoRefresh ? '' : ' · auto-refresh paused'}
          </p>
          <div className="tiles">
            <MetricTile
              name="Connection quality"
              value={formatPercent(metrics.quality.score)}
              badge={quality}
            />
            <MetricTile
              name="Average latency"
              value={formatMs(metrics.latency.avgMs)}
              badge={latency}
              hint={metrics.latency.p95Ms === null ? undefined : `p95 ${formatMs(metrics.latency.p95Ms)}`}
            />
            <MetricTile
              name="Batches sent"
              value={formatCount(metrics.batching.batchesSent)}
              hint={`${formatCount(metrics.batching.messagesSent)} messages`}
            />
            <MetricTile
              name="Bytes saved"
              value={formatBytes(metrics.batching.bytesSaved)}
              hint="by batching, versus one frame per message"
            />
          </div>
          <h3>Latency</h3>
          <LatencyChart samplesMs={metrics.latency.samplesMs} />
          <details className="details">
            <summary>Details</summary>
            <MonitorDetails metrics={metrics} nowMs={updatedAtMs} />
          </details>
        </div>
        <ServerPanel stats={server} error={serverError} nowMs={updatedAtMs} />
      </section>
    </div>
  );
}
