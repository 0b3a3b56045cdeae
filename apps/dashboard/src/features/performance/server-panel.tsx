import { formatAgo, formatBytes, formatCount, formatMs, formatPercent } from './format.js';
import { scoreLevel } from './quality-colour.js';
import type { ServerStatsView } from './server-stats-view.js';

/** The server's own figures and the fleet of desks with each one's reported quality. */
export function ServerPanel(props: { stats: ServerStatsView | null; error: string | null; nowMs: number }) {
  const { stats } = props;
  return (
    <section className="card" aria-labelledby="server-title">
      <h2 id="server-title">Server</h2>
      {props.error && (
        <p className="notice notice-poor" role="status">
          <span aria-hidden="true">✕ </span>
          {props.error}
        </p>
      )}
      {stats && (
        <>
          <dl className="facts facts-inline">
            <div>
              <dt>Connections</dt>
              <dd>{formatCount(stats.connections)}</dd>
            </div>
            <div>
              <dt>Batch handling p50</dt>
              <dd>{formatMs(stats.handleMs.p50)}</dd>
            </div>
            <div>
              <dt>p99</dt>
              <dd>{formatMs(stats.handleMs.p99)}</dd>
            </div>
            <div>
              <dt>Outbound queued</dt>
              <dd>{stats.queueDepth === null ? '–' : formatCount(stats.queueDepth)}</dd>
            </div>
            <div>
              <dt>Bytes in / out</dt>
              <dd>
                {stats.bytesIn === null ? '–' : formatBytes(stats.bytesIn)} /{' '}
                {stats.bytesOut === null ? '–' : formatBytes(stats.bytesOut)}
              </dd>
            </div>
          </dl>
          <div className="server-tables">
            <table className="table compact">
              <caption>Messages per second</caption>
              <tbody>
                {stats.messagesPerSecond.length === 0 && (
                  <tr>
                    <td className="muted">No traffic yet.</td>
                  </tr>
                )}
                {stats.messagesPerSecond.map((m) => (
                  <tr key={m.type}>
                    <th scope="row">{m.type}</th>
                    <td>{m.perSecond.toFixed(1)}/s</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="table compact">
              <caption>Rejections</caption>
              <tbody>
                {stats.rejections.length === 0 && (
                  <tr>
                    <td className="muted">None.</td>
                  </tr>
                )}
                {stats.rejections.map((r) => (
                  <tr key={r.code}>
                    <th scope="row">{codeWords(r.code)}</th>
                    <td>{formatCount(r.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <table className="table">
            <caption>Desks</caption>
            <thead>
              <tr>
                <th scope="col">Desk</th>
                <th scope="col">State</th>
                <th scope="col">Quality</th>
                <th scope="col">Latency</th>
                <th scope="col">Reported</th>
              </tr>
            </thead>
            <tbody>
              {stats.fleet.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    No desk has reported yet.
                  </td>
                </tr>
              )}
              {stats.fleet.map((d) => {
                const badge = d.quality === null ? null : scoreLevel(d.quality);
                return (
                  <tr key={d.clientId}>
                    <th scope="row">{d.clientId}</th>
                    <td>{d.state}</td>
                    <td className={badge ? `tone-text-${badge.level}` : undefined}>
                      {badge && <span aria-hidden="true">{badge.icon} </span>}
                      {d.quality === null ? '–' : `${formatPercent(d.quality)} ${badge?.label ?? ''}`}
                    </td>
                    <td>{formatMs(d.latencyMs)}</td>
                    <td>{formatAgo(d.receivedAt, props.nowMs)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** `MEMBERSHIP_INACTIVE` as `Membership inactive`. */
export function codeWords(code: string): string {
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
