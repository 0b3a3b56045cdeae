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

  const signOut = useCallback((tellServer: boolean) => {
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
        onSignedIn={(s) => {
          storeSession(s);
          setSession(s);
        }}
      />
    );
  }
  return <Shell session={session} onSignOut={() => signOut(true)} onExpired={() => signOut(false)} />;
}
