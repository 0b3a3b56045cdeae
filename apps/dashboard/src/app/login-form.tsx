import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, login } from '../lib/api.js';
import type { StaffSession } from './session.js';

/** Staff sign-in: username and password exchanged for a session token. */
export function LoginForm({
  onSignedIn,
  notice,
}: {
  onSignedIn: (session: StaffSession) => void;
  /** Why the desk is back at sign-in, when the server ended the session. */
  notice?: string;
}) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // When the server said to wait (429 + Retry-After): the time signing in is allowed again.
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [nowMs, setNowMs] = useState(() => Date.now());
  const waitSeconds = retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - nowMs) / 1000));

  useEffect(() => {
    if (retryAt === null) return undefined;
    const timer = setInterval(() => {
      const now = Date.now();
      setNowMs(now);
      if (now >= retryAt) {
        setRetryAt(null);
        setError(null);
      }
    }, 250);
    return () => clearInterval(timer);
  }, [retryAt]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await login(username.trim(), password);
      onSignedIn({
        token: session.token,
        expiresAt: session.expiresAt,
        username: session.username ?? username.trim(),
        ...(session.role ? { role: session.role } : {}),
      });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('Wrong username or password.');
      else if (err instanceof ApiError && err.status === 429) {
        const seconds = err.retryAfterSeconds ?? 60;
        setNowMs(Date.now());
        setRetryAt(Date.now() + seconds * 1000);
        setError('Too many attempts.');
      } else setError('The server cannot be reached. Check that it is running.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="brand brand-large" aria-hidden="true">
          AV
        </div>
        <h1 id="login-title">AV-Gym front desk</h1>
        <p className="muted">Sign in with your staff account.</p>
        {notice ? <p role="status">{notice}</p> : null}
        <label className="field">
          <span>Username</span>
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="notice notice-poor" role="alert">
            <span aria-hidden="true">✕ </span>
            {error}
            {waitSeconds > 0 && ` Try again in ${formatWait(waitSeconds)}.`}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy || waitSeconds > 0}>
          {busy ? 'Signing in…' : waitSeconds > 0 ? `Wait ${formatWait(waitSeconds)}` : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

/** `45 s`, `2 min 5 s`, `15 min`. */
function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
