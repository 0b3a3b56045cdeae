import { formatAgo, formatBytes, formatCount, formatMs, formatPercent } from './format.js';
import { ScoreBar } from './metric-tile.js';
import type { MetricsView } from './metrics-view.js';
import { qualityBreakdown, scoreLevel } from './quality-colour.js';

const PRIORITIES = ['high', 'medium', 'low'] as const;

/** The expandable part of the monitor: messages, quality factors, batching and handlers. */
export function MonitorDetails({ metrics, nowMs }: { metrics: MetricsView; nowMs: number }) {
  const { factors } = qualityBreakdown(metrics.quality, metrics.weights);
  const b = metrics.batching;
  return (
    <div className="details-grid">
      <section aria-labelledby="msg-stats-title">
        <h3 id="msg-stats-title">Message statistics</h3>
        {metrics.messages.length === 0 ? (
          <p className="muted">No messages sent yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Messages</th>
                <th scope="col">Count</th>
              </tr>
            </thead>
            <tbody>
              {metrics.messages.map((m) => (
                <tr key={m.name}>
                  <th scope="row">{m.name}</th>
                  <td>{formatCount(m.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="muted small">
          Counted since {new Date(metrics.windowStartedAt).toLocaleTimeString('en-GB')}; reset hourly.
        </p>
      </section>
      <section aria-labelledby="quality-title">
        <h3 id="quality-title">Quality breakdown</h3>
        {factors.map((f) => (
          <ScoreBar
            key={f.key}
            label={f.name}
            score={f.score}
            badge={scoreLevel(f.score)}
            note={`weight ${Math.round(f.weightPercent)} % · adds ${f.points.toFixed(1)} points`}
          />
        ))}
        <p className="muted">
          Latency {formatMs(metrics.latency.avgMs)} average · {metrics.reconnects} reconnect
          {metrics.reconnects === 1 ? '' : 's'}
        </p>
      </section>
      <section aria-labelledby="batching-title">
        <h3 id="batching-title">Batching</h3>
        <dl className="facts">
          <div>
            <dt>Optimisation</dt>
            <dd>{metrics.optimization ? 'On (batched)' : 'Off (one frame per message)'}</dd>
          </div>
          <div>
            <dt>Current interval</dt>
            <dd>{formatMs(b.currentIntervalMs)}</dd>
          </div>
          <div>
            <dt>Average batch size</dt>
            <dd>{b.averageBatchSize === null ? '–' : b.averageBatchSize.toFixed(1)}</dd>
          </div>
          <div>
            <dt>Messages sent</dt>
            <dd>{formatCount(b.messagesSent)}</dd>
          </div>
          <div>
            <dt>Queued now</dt>
            <dd>{formatCount(b.queueSize)}</dd>
          </div>
          <div>
            <dt>Bytes saved</dt>
            <dd>
              {formatBytes(b.bytesSaved)} ({formatPercent(b.savedPercent)})
            </dd>
          </div>
        </dl>
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Dropped</th>
              <th scope="col">Coalesced</th>
            </tr>
          </thead>
          <tbody>
            {PRIORITIES.map((p) => (
              <tr key={p}>
                <th scope="row">{p}</th>
                <td>{formatCount(b.droppedByPriority[p] ?? 0)}</td>
                <td>{formatCount(b.coalescedByPriority[p] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="handlers-title">
        <h3 id="handlers-title">Handlers</h3>
        <dl className="facts">
          <div>
            <dt>Registered</dt>
            <dd>{formatCount(metrics.handlers.count)}</dd>
          </div>
          <div>
            <dt>Last cleanup</dt>
            <dd>{formatAgo(metrics.handlers.lastCleanupAt, nowMs)}</dd>
          </div>
          <div>
            <dt>Quality</dt>
            <dd>{formatPercent(metrics.quality.score)}</dd>
          </div>
        </dl>
        {metrics.handlers.byType.length > 0 && (
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Listens to</th>
                <th scope="col">Handlers</th>
                <th scope="col">Calls</th>
              </tr>
            </thead>
            <tbody>
              {metrics.handlers.byType.map((h) => (
                <tr key={h.type}>
                  <th scope="row">{h.type}</th>
                  <td>{formatCount(h.count)}</td>
                  <td>{formatCount(h.calls)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
