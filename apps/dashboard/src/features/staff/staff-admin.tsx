import { PASSWORD_LENGTH, STAFF_ROLES, type StaffAccount, type StaffRole } from '@av-gym/protocol';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Icon } from '../../app/icon.js';
import { failureText, type StaffApi } from './staff-api.js';

type Notice = { tone: 'good' | 'poor'; text: string } | undefined;

const ROLE_WORDS: Record<StaffRole, string> = {
  desk: 'Desk: check in and out, create and edit members',
  manager: 'Manager: desk, plus renew, unfreeze, override alerts, audit trail',
  admin: 'Admin: everything, including staff accounts',
};

/** Staff accounts (admin only): the list with role, active state and a password reset, and a form for a new account. */
export function StaffAdmin(props: { api: StaffApi; username: string }) {
  const { api } = props;
  const [staff, setStaff] = useState<StaffAccount[] | undefined>();
  const [notice, setNotice] = useState<Notice>();
  const heading = useRef<HTMLHeadingElement>(null);

  const reload = useCallback(async () => {
    try {
      setStaff((await api.listStaff()).staff);
    } catch (error) {
      setNotice({ tone: 'poor', text: `The staff list could not be read: ${failureText(error)}` });
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);

  async function run(what: string, action: () => Promise<unknown>) {
    try {
      await action();
      setNotice({ tone: 'good', text: what });
      await reload();
    } catch (error) {
      setNotice({ tone: 'poor', text: `Not done: ${failureText(error)}` });
    }
  }

  return (
    <div className="staff-screen">
      <section className="card" aria-labelledby="staff-title">
        <h2 id="staff-title" ref={heading} tabIndex={-1}>
          Staff accounts
        </h2>
        <div aria-live="polite">
          {notice && (
            <p className={`notice notice-${notice.tone}`} role={notice.tone === 'poor' ? 'alert' : 'status'}>
              <Icon name={notice.tone === 'good' ? 'check' : 'cross'} />
              {notice.text}
            </p>
          )}
        </div>
        {staff === undefined ? (
          <p className="muted">Loading…</p>
        ) : (
          <div className="table-scroll">
            <table className="staff-table">
              <caption className="visually-hidden">Staff accounts, their roles and state</caption>
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {staff.map((s) => (
                  <StaffRow
                    key={s.username}
                    account={s}
                    self={s.username === props.username}
                    run={run}
                    api={api}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <NewStaffForm api={api} onCreated={(name) => run(`${name} can sign in now.`, async () => {})} />
      <section className="card" aria-labelledby="roles-title">
        <h2 id="roles-title">What each role may do</h2>
        <ul className="role-list">
          {STAFF_ROLES.map((r) => (
            <li key={r}>{ROLE_WORDS[r]}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function StaffRow(props: {
  account: StaffAccount;
  self: boolean;
  api: StaffApi;
  run: (what: string, action: () => Promise<unknown>) => Promise<void>;
}) {
  const { account: s, api, run } = props;
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const roleId = `role-${s.username}`;
  return (
    <tr>
      <th scope="row">{s.username}</th>
      <td>{s.displayName}</td>
      <td>
        <label className="visually-hidden" htmlFor={roleId}>
          Role of {s.username}
        </label>
        <select
          id={roleId}
          value={s.role}
          onChange={(e) => {
            const role = e.target.value as StaffRole;
            void run(`${s.username} is now ${role}.`, () => api.updateStaff(s.username, { role }));
          }}
        >
          {STAFF_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td>
        <span className={`badge ${s.active ? 'tone-good' : 'tone-poor'}`}>
          {s.active ? 'active' : 'disabled'}
        </span>
      </td>
      <td>
        <div className="row-actions">
          <button
            type="button"
            className="button small"
            onClick={() =>
              void run(`${s.username} ${s.active ? 'disabled' : 'enabled'}.`, () =>
                api.updateStaff(s.username, { active: !s.active }),
              )
            }
            aria-label={`${s.active ? 'Disable' : 'Enable'} ${s.username}`}
            disabled={props.self && s.active}
          >
            {s.active ? 'Disable' : 'Enable'}
          </button>
          {resetting ? (
            <form
              className="inline-form"
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                void run(`New password set for ${s.username}; their sessions ended.`, () =>
                  api.resetPassword(s.username, password),
                ).then(() => {
                  setResetting(false);
                  setPassword('');
                });
              }}
            >
              <label className="visually-hidden" htmlFor={`reset-${s.username}`}>
                New password for {s.username}
              </label>
              <input
                id={`reset-${s.username}`}
                type="password"
                autoComplete="new-password"
                minLength={PASSWORD_LENGTH.min}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                // biome-ignore lint/a11y/noAutofocus: the field the admin just asked for
                autoFocus
              />
              <button type="submit" className="button small primary">
                Set
              </button>
              <button type="button" className="button small ghost" onClick={() => setResetting(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <button
              type="button"
              className="button small"
              onClick={() => setResetting(true)}
              aria-label={`Reset password of ${s.username}`}
            >
              Reset password
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

function NewStaffForm(props: { api: StaffApi; onCreated: (username: string) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<StaffRole>('desk');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<string | undefined>();
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setFailure(undefined);
    try {
      await props.api.createStaff({
        username: username.trim(),
        displayName: displayName.trim(),
        role,
        password,
      });
      props.onCreated(username.trim());
      setUsername('');
      setDisplayName('');
      setPassword('');
      setRole('desk');
    } catch (error) {
      setFailure(failureText(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="new-staff-title">
      <h2 id="new-staff-title">New staff account</h2>
      <form className="staff-form" onSubmit={submit}>
        <label className="field">
          <span>Username (2-64 letters, digits, . _ -)</span>
          <input
            value={username}
            required
            pattern="[A-Za-z0-9._\-]{2,64}"
            autoComplete="off"
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Display name</span>
          <input
            value={displayName}
            required
            maxLength={120}
            onChange={(e) => setDisplayName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>First password (at least {PASSWORD_LENGTH.min} characters)</span>
          <input
            type="password"
            autoComplete="new-password"
            value={password}
            required
            minLength={PASSWORD_LENGTH.min}
            maxLength={PASSWORD_LENGTH.max}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {failure && (
          <p className="notice notice-poor field-wide" role="alert">
            <Icon name="cross" />
            Not created: {failure}
          </p>
        )}
        <div className="actions field-wide">
          <button type="submit" className="button primary" disabled={pending}>
            Create account
          </button>
        </div>
      </form>
    </section>
  );
}
