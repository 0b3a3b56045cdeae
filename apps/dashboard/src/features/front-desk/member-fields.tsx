import { MEMBER_STATUSES, type Member, PLANS } from '@av-gym/protocol';
import type { ReactNode, Ref } from 'react';
import { centsOf, type MemberFormValues } from './member-form-values.js';

/**
 * The member fields the new-member and edit forms share: name, contact, plan, expiry, date of
 * birth, balance, waiver, notes and the check-in alert note. `extra` goes after the expiry
 * (the new-member form's card number); `withStatus` adds the status select (editing only).
 */
export function MemberFields(props: {
  values: MemberFormValues;
  set: <K extends keyof MemberFormValues>(key: K, value: MemberFormValues[K]) => void;
  firstRef: Ref<HTMLInputElement>;
  withStatus?: boolean;
  extra?: ReactNode;
}) {
  const { values, set } = props;
  const balanceBad = centsOf(values.balanceDue) === undefined;
  return (
    <>
      <label className="field field-wide">
        <span>Name</span>
        <input
          ref={props.firstRef}
          value={values.name}
          required
          maxLength={120}
          autoComplete="off"
          onChange={(e) => set('name', e.target.value)}
        />
      </label>
      <label className="field">
        <span>Email</span>
        <input
          type="email"
          maxLength={200}
          value={values.email}
          onChange={(e) => set('email', e.target.value)}
        />
      </label>
      <label className="field">
        <span>Phone</span>
        <input
          type="tel"
          maxLength={40}
          value={values.phone}
          onChange={(e) => set('phone', e.target.value)}
        />
      </label>
      <label className="field">
        <span>Plan</span>
        <select value={values.plan} onChange={(e) => set('plan', e.target.value as Member['plan'])}>
          {PLANS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      {props.withStatus && (
        <label className="field">
          <span>Status</span>
          <select value={values.status} onChange={(e) => set('status', e.target.value as Member['status'])}>
            {MEMBER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>Expiry date</span>
        <input
          type="date"
          required
          value={values.expiresAt}
          onChange={(e) => set('expiresAt', e.target.value)}
        />
      </label>
      {props.extra}
      <label className="field">
        <span>Date of birth</span>
        <input type="date" value={values.dateOfBirth} onChange={(e) => set('dateOfBirth', e.target.value)} />
      </label>
      <label className="field">
        <span>Waiver signed on (empty: not signed)</span>
        <input
          type="date"
          value={values.waiverSignedAt}
          onChange={(e) => set('waiverSignedAt', e.target.value)}
        />
      </label>
      <label className="field">
        <span>Balance due (e.g. 12.50)</span>
        <input
          inputMode="decimal"
          autoComplete="off"
          value={values.balanceDue}
          aria-invalid={balanceBad}
          pattern="\d{1,7}([.,]\d{1,2})?"
          title="an amount such as 12.50"
          onChange={(e) => set('balanceDue', e.target.value)}
        />
      </label>
      <label className="field field-wide">
        <span>Notes</span>
        <textarea
          rows={2}
          maxLength={2000}
          value={values.notes}
          onChange={(e) => set('notes', e.target.value)}
        />
      </label>
      <label className="field field-wide">
        <span>Alert at check-in (shown to the desk on every check-in; empty: none)</span>
        <input
          maxLength={500}
          autoComplete="off"
          value={values.alertNote}
          onChange={(e) => set('alertNote', e.target.value)}
        />
      </label>
    </>
  );
}
