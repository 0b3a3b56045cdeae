import { useCallback, useEffect, useState } from 'react';
import { useDesk, useLastOnline, useLiveEvents, useReload } from '../../app/desk-context.js';
import { clockTime } from '../../lib/member-index.js';
import { entriesFromVisits, entryFromEvent, type FeedEntry, mergeFeed } from './feed-entries.js';
import { formatWhen } from './membership.js';

/** Region "Live check-ins": every desk's check-ins and check-outs, newest first. */
export function LiveFeed() {
  const { api } = useDesk();
  const [feed, setFeed] = useState<FeedEntry[]>([]);
  const [loadError, setLoadError] = useState(false);
  const { online, sinceMs } = useLastOnline();

  const load = useCallback(() => {
    api
      .listVisits({ limit: 25 })
      .then((visits) => {
        setFeed((old) => mergeFeed(old, entriesFromVisits(visits)));
        setLoadError(false);
      })
      .catch(() => setLoadError(true));
  }, [api]);

  useEffect(load, [load]);
  useReload(load);
  useLiveEvents((event) => {
    if (event.topic !== 'check_ins') return;
    const entry = entryFromEvent(event.name, event.data);
    if (entry) setFeed((old) => mergeFeed(old, [entry]));
  });

  const now = new Date();
  return (
    <section className="card feed" aria-labelledby="live-feed-title">
      <h2 id="live-feed-title">Live check-ins</h2>
      {!online && (
        <p className="notice notice-fair as-of" role="note">
          {sinceMs === null ? 'Offline: not live' : `Offline: as of ${clockTime(sinceMs)}, not live`}
        </p>
      )}
      {loadError && <p className="muted">Earlier visits could not be loaded; new ones appear live.</p>}
      {feed.length === 0 ? (
        <p className="muted">No check-ins yet today.</p>
      ) : (
        <ol className="feed-list" aria-live="polite">
          {feed.map((e) => (
            <li key={e.key} className={`feed-item feed-${e.kind}`}>
              <span className={`badge tone-${e.kind === 'in' ? 'good' : 'neutral'}`}>
                <span aria-hidden="true">{e.kind === 'in' ? '→ ' : '← '}</span>
                {e.kind === 'in' ? 'In' : 'Out'}
              </span>
              <span className="feed-name">{e.memberName}</span>
              <span className="muted feed-meta">
                {e.deskId ? `Desk ${e.deskId}` : 'No desk'}
                {e.stayMinutes !== undefined && ` · stayed ${e.stayMinutes} min`}
              </span>
              <time className="feed-time" dateTime={new Date(e.atMs).toISOString()}>
                {formatWhen(e.atMs, now)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
