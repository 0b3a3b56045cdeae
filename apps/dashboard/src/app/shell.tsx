import { may } from '@av-gym/protocol';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useDeskClub } from '../features/clubs/use-desk-club.js';
import { FrontDesk } from '../features/front-desk/front-desk.js';
import { AlertBanner } from '../features/performance/alert-banner.js';
import {
  StaffTabs,
  type StaffView,
  StaffViewPanel,
  staffViewFromHash,
} from '../features/staff/staff-views.js';
import { Api } from '../lib/api.js';
import { identity, saveDeskName } from '../lib/desk-identity.js';
import { realtimeFor } from '../lib/realtime.js';
import { DeskContext, type DeskContextValue } from './desk-context.js';
import { Header } from './header.js';
import type { StaffSession } from './session.js';

type View = 'desk' | 'monitor' | 'reports' | StaffView;

// The monitor (and uPlot) load only when first opened: the front desk starts faster.
const PerformanceMonitor = lazy(() =>
  import('../features/performance/performance-monitor.js').then((m) => ({ default: m.PerformanceMonitor })),
);

// Reports load only when a manager opens them.
const ReportsScreen = lazy(() =>
  import('../features/reports/reports-screen.js').then((m) => ({ default: m.ReportsScreen })),
);

function viewFromHash(): View {
  const staff = staffViewFromHash(location.hash);
  if (staff) return staff;
  return location.hash === '#monitor' ? 'monitor' : location.hash === '#reports' ? 'reports' : 'desk';
}

/** The signed-in layout: header, the two views, and the shared desk context. */
export function Shell(props: { session: StaffSession; onSignOut: () => void; onExpired: () => void }) {
  const { session, onExpired } = props;
  const [view, setView] = useState<View>(viewFromHash);
  const [deskName, setDeskName] = useState(() => identity().deskName);
  const api = useMemo(() => new Api(session.token, onExpired), [session.token, onExpired]);
  const realtime = useMemo(() => realtimeFor(session.token), [session.token]);
  const club = useDeskClub(api, deskName);
  const context = useMemo<DeskContextValue>(
    () => ({ api, realtime, deskName, role: session.role, club }),
    [api, realtime, deskName, session.role, club],
  );

  const mayReport = may(session.role, 'reports_read');

  // The server closed the socket for good because the session ended: back to sign-in.
  useEffect(() => realtime.on('unauthorized', onExpired), [realtime, onExpired]);

  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  return (
    <DeskContext.Provider value={context}>
      <Header
        username={session.username}
        deskName={deskName}
        onRenameDesk={(name) => setDeskName(saveDeskName(name))}
        onSignOut={props.onSignOut}
      />
      <nav className="tabs" aria-label="Views">
        <a href="#desk" className="tab" aria-current={view === 'desk' ? 'page' : undefined}>
          Front desk
        </a>
        <a href="#monitor" className="tab" aria-current={view === 'monitor' ? 'page' : undefined}>
          Performance
        </a>
        {mayReport ? (
          <a href="#reports" className="tab" aria-current={view === 'reports' ? 'page' : undefined}>
            Reports
          </a>
        ) : null}
        <StaffTabs role={session.role} view={view} />
      </nav>
      <AlertBanner />
      <main className="content">
        {view === 'desk' ? (
          <FrontDesk />
        ) : view === 'staff' || view === 'audit' || view === 'password' ? (
          <StaffViewPanel
            view={view}
            token={session.token}
            username={session.username}
            role={session.role}
            onExpired={onExpired}
          />
        ) : view === 'reports' && mayReport ? (
          <Suspense fallback={<p className="muted">Loading the reports…</p>}>
            <ReportsScreen />
          </Suspense>
        ) : view === 'reports' ? (
          <p role="alert">Reports are for managers and admins.</p>
        ) : (
          <Suspense fallback={<p className="muted">Loading the performance monitor…</p>}>
            <PerformanceMonitor />
          </Suspense>
        )}
      </main>
    </DeskContext.Provider>
  );
}
