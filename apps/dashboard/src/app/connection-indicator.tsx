import type { ConnectionState } from '@av-gym/client';
import { useEffect, useState } from 'react';
import { toMetricsView } from '../features/performance/metrics-view.js';
import { scoreLevel } from '../features/performance/quality-colour.js';
import { isOnline, useConnectionState, useDesk, useOutbox } from './desk-context.js';

const STATE_WORDS: Record<ConnectionState, string> = {
  open: 'Online',
  connecting: 'Connecting',
  reconnecting: 'Offline, reconnecting',
  closed: 'Offline',
  idle: 'Offline',
};

/** The header's connection state and quality, in words, icon and colour. */
export function ConnectionIndicator() {
  const { realtime } = useDesk();
  const state = useConnectionState();
  const [quality, setQuality] = useState<number | null>(null);
  const [pending, setPending] = useState(0);
  const outbox = useOutbox();

  useEffect(() => {
    const read = () => {
      const view = toMetricsView(realtime.metrics());
      setQuality(view.quality.score);
      setPending(view.pendingMessages);
    };
    read();
    const timer = setInterval(read, 2_000);
    return () => clearInterval(timer);
  }, [realtime]);

  const online = isOnline(state);
  const words = STATE_WORDS[state];
  const badge = online && quality !== null ? scoreLevel(quality) : null;
  const tone = online ? (badge?.level ?? 'good') : state === 'closed' ? 'poor' : 'fair';
  const icon = online ? '●' : '○';
  return (
    <output className={`connection tone-${tone}`} aria-live="polite" aria-label="Connection">
      <span aria-hidden="true" className="connection-dot">
        {icon}
      </span>
      <span>{words}</span>
      {online && quality !== null && (
        <span className="muted">
          · quality {Math.round(quality)} % ({badge?.label})
        </span>
      )}
      {outbox !== undefined && outbox.saved > 0 ? (
        <span className="muted">
          {' '}
          · {outbox.saved} {outbox.saved === 1 ? 'action waits' : 'actions wait'}, saved on this desk
        </span>
      ) : (
        pending > 0 && <span className="muted"> · {pending} waiting</span>
      )}
    </output>
  );
}
