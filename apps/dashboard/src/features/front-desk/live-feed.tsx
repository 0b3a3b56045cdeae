import { useCallback, useEffect, useRef, useState } from 'react';
import { useDesk, useLastOnline, useLiveEvents, useReload } from '../../app/desk-context.js';
import { Icon } from '../../app/icon.js';
import { clockTime } from '../../lib/member-index.js';
import { clubName } from '../clubs/use-desk-club.js';
import { entriesFromVisits, entryFromEvent, type FeedEntry, mergeFeed } from './feed-entries.js';
import { formatWhen } from './membership.js';

const CACHE_KEY = 'av-gym.feed';

function isEntry(e: unknown): e is FeedEntry {
  const v = e as Partial<FeedEntry> | null;
  return (
    typeof v?.key === 'string' &&
    typeof v.memberName === 'string' &&
    typeof v.atMs === 'number' &&
    (v.kind === 'in' || v.kind === 'out')
  );
}

/** The feed as this desk last saw it, so a reload while the server is down still shows it (as of then). */
function cachedFeed(): { feed: FeedEntry[]; atMs: number } | null {
  try {
    const raw = JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null') as {
      feed?: unknown;
      atMs?: unknown;
    } | null;
    // only today's: the feed is "today at this gym", and a cache from yesterday is not that
    if (
      Array.isArray(raw?.feed) &&
      typeof raw.atMs === 'number' &&
      new Date(raw.atMs).toDateString() === new Date().toDateString()
    )
      return { feed: raw.feed.filter(isEntry).slice(0, 50), atMs: raw.atMs };
  } catch {
    // not ours, or cut short: no cache
  }
  return null;
}

function saveFeed(feed: FeedEntry[], atMs: number): void {
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify({ feed: feed.slice(0, 50), atMs }));
  } catch {
    // storage full or refused: the feed still shows
  }
}

/** Region "Live check-ins": every desk's check-ins and check-outs, newest first. */
export function LiveFeed() {
  const { api, club } = useDesk();
  const [clubFilter, setClubFilter] = useState('');
  const [initial] = useState(cachedFeed);
  const [feed, setFeed] = useState<FeedEntry[]>(initial?.feed ?? []);
  const [heardMs, setHeardMs] = useState<number | null>(initial?.atMs ?? null);
  const [loadError, setLoadError] = useState(false);
  const { online, sinceMs } = useLastOnline();
  const asOfMs = heardMs ?? sinceMs;

  // the feed was live up to the moment the connection went: that is what it is "as of"
  const wasOnline = useRef(false);
  const feedRef = useRef(feed);
  feedRef.current = feed;
  useEffect(() => {
    if (online) {
      wasOnline.current = true;
      return;
    }
    if (!wasOnline.current) return;
    const now = Date.now();
    setHeardMs(now);
    saveFeed(feedRef.current, now);
  }, [online]);
  useEffect(() => {
    if (online) saveFeed(feed, Date.now());
  }, [feed, online]);

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
  const clubs = club?.clubs ?? [];
  const shown = clubFilter ? feed.filter((e) => e.clubId === clubFilter) : feed;
  return (
    <section className="card feed" aria-labelledby="live-feed-title">
      <div className="feed-head">
        <h2 id="live-feed-title">Live check-ins</h2>
        {clubs.length > 1 ? (
          <label className="feed-filter">
            <span className="muted">Show</span>
            <select value={clubFilter} onChange={(e) => setClubFilter(e.target.value)}>
              <option value="">All clubs</option>
              {clubs.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {!online && (
        <p className="notice notice-fair as-of" role="note">
          {asOfMs === null ? 'Offline: not live' : `Offline: as of ${clockTime(asOfMs)}, not live`}
        </p>
      )}
      {loadError && online && (
        <p className="muted">Earlier visits could not be loaded; new ones appear live.</p>
      )}
      {shown.length === 0 ? (
        <p className="muted">
          {clubFilter && feed.length > 0
            ? `No check-ins at ${clubName(clubs, clubFilter)} yet today.`
            : online
              ? 'No check-ins yet today.'
              : 'No check-ins seen on this desk before the outage.'}
        </p>
      ) : (
        <ol
          className="feed-list"
          aria-live="polite"
          aria-label="Today's check-ins and check-outs"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable list must be reachable and scrollable from the keyboard (WCAG 2.1.1, axe scrollable-region-focusable)
          tabIndex={0}
        >
          {shown.map((e) => (
            <li key={e.key} className={`feed-item feed-${e.kind}`}>
              <span className={`badge tone-${e.kind === 'in' ? 'good' : 'neutral'}`}>
                <span aria-hidden="true">{e.kind === 'in' ? '→ ' : '← '}</span>
                {e.kind === 'in' ? 'In' : 'Out'}
              </span>
              <span className="feed-name">{e.memberName}</span>
              <span className="muted feed-meta">
                {e.deskId ? `Desk ${e.deskId}` : 'No desk'}
                {clubs.length > 1 && e.clubId ? ` · ${clubName(clubs, e.clubId)}` : ''}
                {e.stayMinutes !== undefined && ` · stayed ${e.stayMinutes} min`}
              </span>
              {e.override && (
                <span className="feed-override">
                  <Icon name="shield" size={14} />
                  override by {e.override.by ?? 'unknown staff'}: {e.override.reason}
                </span>
              )}
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
