import { type Member, PLANS } from '@av-gym/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { isOnline, useDesk } from '../../app/desk-context.js';
import { Icon } from '../../app/icon.js';
import { rejectionText } from './membership.js';
import { defaultRenewal } from './membership-actions.js';

type State =
  | { kind: 'idle' }
  | { kind: 'pending'; offline: boolean }
  | { kind: 'created'; member: Member }
  | { kind: 'refused'; text: string };

const CARD_PATTERN = '[0-9A-Za-z-]{4,20}';

/**
 * "New member": name, email, phone, plan, expiry and card number (typed, or scanned into the
 * focused field; empty lets the server number the card), sent as `member_create`.
 */
export function NewMemberForm(props: { onCreated: (member: Member) => void; onClose: () => void }) {
  const { realtime } = useDesk();
  const first = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [plan, setPlan] = useState<Member['plan']>('standard');
  const [expiresAt, setExpiresAt] = useState(() => defaultRenewal('', new Date()));
  const [card, setCard] = useState('');
  const [notes, setNotes] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  // focus moves into the form when it opens
  useEffect(() => first.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const data = {
      name: name.trim().replace(/\s+/g, ' '),
      plan,
      expiresAt,
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      ...(card.trim() ? { membershipNumber: card.trim().toUpperCase() } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    };
    setState({ kind: 'pending', offline: !isOnline(realtime.state) });
    const outcome = await realtime.send('member_create', data);
    if (!outcome.ok) {
      setState({ kind: 'refused', text: rejectionText(outcome) });
      return;
    }
    const info = outcome.info ?? {};
    const member: Member = {
      id: String(info.memberId ?? ''),
      membershipNumber: String(info.membershipNumber ?? data.membershipNumber ?? ''),
      name: data.name,
      email: data.email ?? null,
      phone: data.phone ?? null,
      plan,
      status: 'active',
      expiresAt,
      notes: data.notes ?? '',
      version: 1,
      lastVisitAt: null,
    };
    setState({ kind: 'created', member });
    props.onCreated(member);
  }

  return (
    <section className="card" aria-labelledby="new-member-title">
      <h2 id="new-member-title">New member</h2>
      <form className="edit-form" onSubmit={submit}>
        <label className="field field-wide">
          <span>Name</span>
          <input
            ref={first}
            required
            maxLength={120}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Email</span>
          <input type="email" maxLength={200} value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Phone</span>
          <input type="tel" maxLength={40} value={phone} onChange={(e) => setPhone(e.target.value)} />
        </label>
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
          <span>Expiry date</span>
          <input type="date" required value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
        </label>
        <label className="field field-wide">
          <span>Card number (type or scan; empty: the server numbers it)</span>
          <input
            value={card}
            pattern={CARD_PATTERN}
            autoComplete="off"
            // a scanner's Enter must not send the half-filled form
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.preventDefault();
            }}
            onChange={(e) => setCard(e.target.value)}
          />
        </label>
        <label className="field field-wide">
          <span>Notes</span>
          <textarea rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </label>
        {state.kind === 'pending' && (
          <p className="notice notice-fair field-wide" role="status">
            <Icon name="clock" />
            {state.offline ? 'Saved here, pending: it is sent when the connection returns.' : 'Creating…'}
          </p>
        )}
        {state.kind === 'created' && (
          <p className="notice notice-good field-wide" role="status">
            <Icon name="check" />
            {state.member.name} is a member, card {state.member.membershipNumber}.
          </p>
        )}
        {state.kind === 'refused' && (
          <p className="notice notice-poor field-wide" role="alert">
            <Icon name="cross" />
            Not created: {state.text}
          </p>
        )}
        <div className="actions field-wide">
          <button type="submit" className="button primary" disabled={state.kind === 'pending'}>
            Create member
          </button>
          <button type="button" className="button ghost" onClick={props.onClose}>
            Close
          </button>
        </div>
      </form>
    </section>
  );
}
