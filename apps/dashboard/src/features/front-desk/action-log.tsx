import { Icon } from '../../app/icon.js';
import type { DeskAction } from './use-desk-actions.js';

const ICON = { pending: 'clock', confirmed: 'check', refused: 'cross' } as const;
const WORD = { pending: 'Pending', confirmed: 'Confirmed', refused: 'Refused' } as const;
const TONE = { pending: 'fair', confirmed: 'good', refused: 'poor' } as const;

/** This desk's recent check-ins and check-outs with their state, announced politely. */
export function ActionLog({ actions }: { actions: DeskAction[] }) {
  return (
    <section className="card" aria-labelledby="action-log-title">
      <h2 id="action-log-title">This desk</h2>
      {actions.length === 0 ? (
        <p className="muted">Check-ins and check-outs made here appear here, with their state.</p>
      ) : (
        <ul className="action-log" aria-live="polite">
          {actions.map((a) => (
            <li key={a.id} className="action">
              <span className={`badge tone-${TONE[a.status]}`}>
                <Icon name={ICON[a.status]} />
                {WORD[a.status]}
              </span>
              <span>{a.text}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
