import type { CheckInAlert } from '@av-gym/protocol';
import { Icon } from '../../app/icon.js';
import { ALERT_LOOK } from './check-in-alerts.js';

/** A check-in's alerts: icon, label and the server's words; a blocking one says so in words too. */
export function AlertList(props: { alerts: readonly CheckInAlert[]; label?: string }) {
  if (props.alerts.length === 0) return null;
  return (
    <ul className="alert-list" aria-label={props.label ?? 'Alerts'}>
      {props.alerts.map((a) => {
        const look = ALERT_LOOK[a.type];
        return (
          <li key={a.type} className={a.blocking ? 'alert-item alert-blocking' : 'alert-item'}>
            <Icon name={look.icon} size={20} />
            <span>
              <strong>{look.label}</strong>
              {a.blocking && <span className="alert-tag">blocks check-in</span>}
              <span className="alert-text">{a.text}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
