import type { Member } from '@av-gym/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { isOnline, useDesk } from '../../app/desk-context.js';
import { Icon } from '../../app/icon.js';
import { MemberFields } from './member-fields.js';
import { centsOf, emptyFormValues, type MemberFormValues } from './member-form-values.js';
import { rejectionText } from './membership.js';
import { defaultRenewal } from './membership-actions.js';

type State =
  | { kind: 'idle' }
  | { kind: 'pending'; offline: boolean }
  | { kind: 'created'; member: Member }
  | { kind: 'refused'; text: string };

const CARD_PATTERN = '[0-9A-Za-z-]{4,20}';

/**
 * "New member": the shared member fields (see MemberFields) and the card number (typed, or
 * scanned into the focused field; empty lets the server number the card), sent as `member_create`.
 */
export function NewMemberForm(props: { onCreated: (member: Member) => void; onClose: () => void }) {
  const { realtime } = useDesk();
  const first = useRef<HTMLInputElement>(null);
  const [values, setValues] = useState<MemberFormValues>(() =>
    emptyFormValues(defaultRenewal('', new Date())),
  );
  const set = <K extends keyof MemberFormValues>(key: K, value: MemberFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const [card, setCard] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  // focus moves into the form when it opens
  useEffect(() => first.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { plan, expiresAt } = values;
    const email = values.email.trim();
    const phone = values.phone.trim();
    const notes = values.notes.trim();
    const alertNote = values.alertNote.trim();
    const balanceDueCents = centsOf(values.balanceDue);
    if (balanceDueCents === undefined) {
      setState({ kind: 'refused', text: 'The balance due is not an amount such as 12.50.' });
      return;
    }
    const data = {
      name: values.name.trim().replace(/\s+/g, ' '),
      plan,
      expiresAt,
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      ...(card.trim() ? { membershipNumber: card.trim().toUpperCase() } : {}),
      ...(notes ? { notes } : {}),
      ...(values.dateOfBirth ? { dateOfBirth: values.dateOfBirth } : {}),
      ...(values.waiverSignedAt ? { waiverSignedAt: values.waiverSignedAt } : {}),
      ...(balanceDueCents > 0 ? { balanceDueCents } : {}),
      ...(alertNote ? { alertNote } : {}),
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
      dateOfBirth: data.dateOfBirth ?? null,
      balanceDueCents,
      waiverSignedAt: data.waiverSignedAt ?? null,
      alertNote,
    };
    setState({ kind: 'created', member });
    props.onCreated(member);
  }

  return (
    <section className="card" aria-labelledby="new-member-title">
      <h2 id="new-member-title">New member</h2>
      <form className="edit-form" onSubmit={submit}>
        <MemberFields
          values={values}
          set={set}
          firstRef={first}
          extra={
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
          }
        />
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
