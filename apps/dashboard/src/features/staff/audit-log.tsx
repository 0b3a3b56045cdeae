import type { AuditEntry } from '@av-gym/protocol';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Icon } from '../../app/icon.js';
import { type AuditFilters, failureText, type StaffApi } from './staff-api.js';

const PAGE = 50;

const ACTION_WORDS: Record<string, string> = {
  check_in: 'Check-in',
  check_out: 'Check-out',
  alert_override: 'Alert override',
  member_create: 'Member created',
  member_update: 'Member edited',
  member_renew: 'Membership renewed',
  member_unfreeze: 'Membership unfrozen',
  staff_create: 'Staff account created',
  staff_disable: 'Staff account disabled',
  staff_enable: 'Staff account enabled',
  staff_reset_password: 'Password reset',
  staff_role_change: 'Role changed',
  password_change: 'Own password changed',
};

/** `field: before → after` for each changed field (or the fields of `after` alone). */
export function changeText(entry: Pick<AuditEntry, 'before' | 'after'>): string {
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));
  const keys = Object.keys(entry.after ?? entry.before ?? {});
  return keys
    .map((k) =>
      entry.before && k in entry.before
        ? `${k}: ${show(entry.before[k])} → ${show(entry.after?.[k])}`
        : `${k}: ${show(entry.after?.[k])}`,
    )
    .join('; ');
}

const time = (at: number) =>
  new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** The audit trail (manager and admin): filters by member id, staff, desk and day; newest first; "Load more". */
export function AuditLog(props: { api: StaffApi }) {
  const { api } = props;
  const [draft, setDraft] = useState<AuditFilters>({});
  const [filters, setFilters] = useState<AuditFilters>({});
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<{ kind: 'loading' | 'ready' } | { kind: 'failed'; text: string }>({
    kind: 'loading',
  });

  const load = useCallback(
    async (query: AuditFilters, append: boolean) => {
      setState({ kind: 'loading' });
      try {
        const page = await api.audit({ ...query, limit: PAGE });
        setEntries((old) => (append ? [...old, ...page.entries] : page.entries));
        setNext(page.nextBefore);
        setState({ kind: 'ready' });
      } catch (error) {
        setState({ kind: 'failed', text: failureText(error) });
      }
    },
    [api],
  );
  useEffect(() => {
    void load(filters, false);
  }, [load, filters]);

  function apply(event: FormEvent) {
    event.preventDefault();
    const clean: AuditFilters = {};
    for (const key of ['member', 'staff', 'desk', 'day'] as const) {
      const value = draft[key]?.trim();
      if (value) clean[key] = value;
    }
    setFilters(clean);
  }

  const field = (key: 'member' | 'staff' | 'desk', label: string) => (
    <label className="field">
      <span>{label}</span>
      <input value={draft[key] ?? ''} onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))} />
    </label>
  );

  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <form className="audit-filters" onSubmit={apply} aria-label="Audit filters">
        {field('member', 'Member id')}
        {field('staff', 'Staff username')}
        {field('desk', 'Desk id')}
        <label className="field">
          <span>Day (UTC)</span>
          <input
            type="date"
            value={draft.day ?? ''}
            onChange={(e) => setDraft((d) => ({ ...d, day: e.target.value }))}
          />
        </label>
        <div className="actions">
          <button type="submit" className="button primary">
            Show
          </button>
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setDraft({});
              setFilters({});
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {state.kind === 'failed' && (
          <p className="notice notice-poor" role="alert">
            <Icon name="cross" />
            The audit trail could not be read: {state.text}
          </p>
        )}
        {state.kind === 'ready' && (
          <p className="muted" role="status">
            {entries.length === 0 ? 'No audit rows match.' : `${entries.length} rows shown, newest first.`}
          </p>
        )}
      </div>
      {entries.length > 0 && (
        <div className="table-scroll">
          <table className="audit-table">
            <caption className="visually-hidden">Audit rows, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Staff</th>
                <th scope="col">Desk</th>
                <th scope="col">Action</th>
                <th scope="col">Member or account</th>
                <th scope="col">Change</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={new Date(e.at).toISOString()}>{time(e.at)}</time>
                  </td>
                  <td>{e.staff}</td>
                  <td>{e.deskId ?? '—'}</td>
                  <td>{ACTION_WORDS[e.action] ?? e.action}</td>
                  <td>{e.memberId ?? e.targetStaff ?? '—'}</td>
                  <td className="audit-change">{changeText(e) || '—'}</td>
                  <td>{e.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next !== null && (
        <div className="actions">
          <button
            type="button"
            className="button"
            disabled={state.kind === 'loading'}
            onClick={() => void load({ ...filters, before: next }, true)}
          >
            Load more
          </button>
        </div>
      )}
    </section>
  );
}
