import { type Member, PLANS } from '@av-gym/protocol';
import { type FormEvent, useState } from 'react';
import { isOnline, useDesk } from '../../app/desk-context.js';
import { formatDate, rejectionText } from './membership.js';

type SendState =
  | { kind: 'idle' }
  | { kind: 'pending'; offline: boolean }
  | { kind: 'done'; text: string }
  | { kind: 'refused'; text: string };

/** A year after the later of today and the current expiry, as YYYY-MM-DD. */
export function defaultRenewal(expiresAt: string, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  const from = new Date(`${expiresAt > today ? expiresAt : today}T00:00:00Z`);
  from.setUTCFullYear(from.getUTCFullYear() + 1);
  return from.toISOString().slice(0, 10);
}

function StateLine({ state }: { state: SendState }) {
  if (state.kind === 'pending')
    return (
      <p className="notice notice-fair" role="status">
        {state.offline ? 'Saved here, pending: it is sent when the connection returns.' : 'Saving…'}
      </p>
    );
  if (state.kind === 'done')
    return (
      <p className="notice notice-good" role="status">
        {state.text}
      </p>
    );
  if (state.kind === 'refused')
    return (
      <p className="notice notice-poor" role="alert">
        {state.text}
      </p>
    );
  return null;
}

/** "Renew": a plan and a new expiry date, sent as `member_renew`. */
export function RenewForm(props: { member: Member; onDone?: () => void }) {
  const { realtime } = useDesk();
  const { member } = props;
  const [plan, setPlan] = useState<Member['plan']>(member.plan);
  const [expiresAt, setExpiresAt] = useState(() => defaultRenewal(member.expiresAt, new Date()));
  const [state, setState] = useState<SendState>({ kind: 'idle' });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setState({ kind: 'pending', offline: !isOnline(realtime.state) });
    const outcome = await realtime.send('member_renew', {
      memberId: member.id,
      plan,
      expiresAt,
      baseVersion: member.version,
    });
    if (outcome.ok) {
      setState({ kind: 'done', text: `${member.name} renewed until ${formatDate(expiresAt)}.` });
      props.onDone?.();
    } else setState({ kind: 'refused', text: `Renewal refused: ${rejectionText(outcome, member)}` });
  }

  return (
    <form className="renew-form" onSubmit={submit} aria-label={`Renew ${member.name}`}>
      <label className="field">
        <span>Plan</span>
        <select value={plan} onChange={(e) => setPlan(e.target.value as Member['plan'])}>
          {PLANS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>New expiry date</span>
        <input type="date" required value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
      </label>
      <div className="actions">
        <button type="submit" className="button primary" disabled={state.kind === 'pending'}>
          Renew membership
        </button>
      </div>
      <StateLine state={state} />
    </form>
  );
}

/** "Unfreeze": sends `member_unfreeze` and says what came of it. */
export function useUnfreeze(member: Member) {
  const { realtime } = useDesk();
  const [state, setState] = useState<SendState>({ kind: 'idle' });
  const unfreeze = async () => {
    setState({ kind: 'pending', offline: !isOnline(realtime.state) });
    const outcome = await realtime.send('member_unfreeze', {
      memberId: member.id,
      baseVersion: member.version,
    });
    setState(
      outcome.ok
        ? { kind: 'done', text: `${member.name}'s membership is active again.` }
        : { kind: 'refused', text: `Unfreeze refused: ${rejectionText(outcome, member)}` },
    );
  };
  return { unfreeze, line: <StateLine state={state} /> };
}
