import { PASSWORD_LENGTH } from '@av-gym/protocol';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Icon } from '../../app/icon.js';
import { failureText, type StaffApi } from './staff-api.js';

type State = { kind: 'idle' } | { kind: 'pending' } | { kind: 'done' } | { kind: 'failed'; text: string };

/** Change one's own password: the current one, the new one twice. Other sessions of the account end. */
export function PasswordChange(props: { api: StaffApi; username: string }) {
  const first = useRef<HTMLInputElement>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  useEffect(() => first.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next.length < PASSWORD_LENGTH.min) {
      setState({
        kind: 'failed',
        text: `The new password needs at least ${PASSWORD_LENGTH.min} characters.`,
      });
      return;
    }
    if (next !== again) {
      setState({ kind: 'failed', text: 'The two new passwords differ.' });
      return;
    }
    setState({ kind: 'pending' });
    try {
      await props.api.changeOwnPassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setState({ kind: 'done' });
    } catch (error) {
      setState({ kind: 'failed', text: failureText(error) });
    }
  }

  return (
    <section className="card staff-narrow" aria-labelledby="password-title">
      <h2 id="password-title">Change your password</h2>
      <p className="muted">
        Signed in as {props.username}. Your other sessions end when the password changes; this one stays.
      </p>
      <form onSubmit={submit} noValidate>
        <label className="field">
          <span>Current password</span>
          <input
            ref={first}
            type="password"
            autoComplete="current-password"
            value={current}
            required
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label className="field">
          <span>New password (at least {PASSWORD_LENGTH.min} characters)</span>
          <input
            type="password"
            autoComplete="new-password"
            value={next}
            required
            minLength={PASSWORD_LENGTH.min}
            maxLength={PASSWORD_LENGTH.max}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <label className="field">
          <span>New password again</span>
          <input
            type="password"
            autoComplete="new-password"
            value={again}
            required
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        {state.kind === 'done' && (
          <p className="notice notice-good" role="status">
            <Icon name="check" />
            Password changed.
          </p>
        )}
        {state.kind === 'failed' && (
          <p className="notice notice-poor" role="alert">
            <Icon name="cross" />
            Not changed: {state.text}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button primary" disabled={state.kind === 'pending'}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}
