import { QUALITY_WORDS, qualityBand } from '@av-gym/client';
import { useEffect, useState } from 'react';
import { useDesk } from '../../app/desk-context.js';
import { alertWords } from './monitor-status.js';
import './alert-banner.css';
import { useAlerts } from './use-alerts.js';

/** How often this desk's own link quality is read for the banner. */
const OWN_LINK_CHECK_MS = 5_000;

/**
 * Shown above every view: each firing alert in words (it arrives live, no reload), and this
 * desk's own link when it degrades ("connection poor: actions are kept and sent").
 */
export function AlertBanner() {
  const { realtime } = useDesk();
  const alerts = useAlerts();
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [ownBand, setOwnBand] = useState(() => qualityBand(realtime.metrics().quality.score));
  useEffect(() => {
    const timer = setInterval(() => {
      setNowMs(Date.now());
      setOwnBand(qualityBand(realtime.metrics().quality.score));
    }, OWN_LINK_CHECK_MS);
    return () => clearInterval(timer);
  }, [realtime]);
  const firing = alerts.filter((a) => a.state === 'firing');
  if (firing.length === 0 && ownBand === 'good') return null;
  return (
    <div className="alert-banner-stack">
      {ownBand !== 'good' && (
        <p
          className={`alert-banner alert-banner-${ownBand === 'poor' ? 'critical' : 'warning'}`}
          role="status"
        >
          This desk: {QUALITY_WORDS[ownBand]}
        </p>
      )}
      {firing.length > 0 && (
        <section className="alert-banner alert-banner-critical" role="alert" aria-label="Firing alerts">
          <ul>
            {firing.slice(0, 5).map((a) => (
              <li key={a.id}>
                <strong>{a.severity === 'critical' ? 'Critical' : 'Warning'}:</strong> {alertWords(a, nowMs)}
              </li>
            ))}
          </ul>
          {firing.length > 5 && <p className="small">and {firing.length - 5} more on the Performance view</p>}
        </section>
      )}
    </div>
  );
}
