import { useCallback, useState } from 'react';
import { Api } from '../lib/api.js';
import { closeRealtime } from '../lib/realtime.js';
import { LoginForm } from './login-form.js';
import { clearSession, loadSession, type StaffSession, storeSession } from './session.js';
import { Shell } from './shell.js';
import './app.css';

/** The whole app: sign-in until there is a session, then the desk. */
export function App() {
  const [session, setSession] = useState<StaffSession | undefined>(() => loadSession());
  const [notice, setNotice] = useState<string | undefined>();

  const signOut = useCallback((tellServer: boolean) => {
    setNotice(
      tellServer ? undefined : 'Your session has ended (signed out elsewhere or expired). Sign in again.',
    );
    setSession((old) => {
      if (old && tellServer) void new Api(old.token).logout().catch(() => {});
      return undefined;
    });
    clearSession();
    closeRealtime();
  }, []);

  if (!session) {
    return (
      <LoginForm
        {...(notice ? { notice } : {})}
        onSignedIn={(s) => {
          setNotice(undefined);
          storeSession(s);
          setSession(s);
        }}
      />
    );
  }
  return <Shell session={session} onSignOut={() => signOut(true)} onExpired={() => signOut(false)} />;
}
