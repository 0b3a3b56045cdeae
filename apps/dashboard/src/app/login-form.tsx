import { type FormEvent, useState } from 'react';
import { ApiError, login } from '../lib/api.js';
import type { StaffSession } from './session.js';

/** Staff sign-in: username and password exchanged for a session token. */
export function LoginForm({ onSignedIn }: { onSignedIn: (session: StaffSession) => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await login(username.trim(), password);
      onSignedIn({ token: session.token, expiresAt: session.expiresAt, username: username.trim() });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('Wrong username or password.');
      else if (err instanceof ApiError && err.status === 429) setError('Too many attempts. Wait a minute.');
      else setError('The server cannot be reached. Check that it is running.');
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
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
