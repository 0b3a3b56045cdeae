import { type Member, may } from '@av-gym/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useDesk, useLiveEvents, useReload } from '../../app/desk-context.js';
import { clockTime, INDEX_FETCH_LIMIT, memberIndexFor } from '../../lib/member-index.js';
import { ChainOccupancy } from '../clubs/chain-occupancy.js';
import { ActionLog } from './action-log.js';
import { LiveFeed } from './live-feed.js';
import { MemberCard } from './member-card.js';
import { MemberEditForm } from './member-edit-form.js';
import { MemberSearch } from './member-search.js';
import { NewMemberForm } from './new-member-form.js';
import { OccupancyPanel } from './occupancy-panel.js';
import { ScanDetector } from './scan-detector.js';
import { ScanField } from './scan-field.js';
import { ScanResult } from './scan-result.js';
import { useDeskActions } from './use-desk-actions.js';
import { useScan } from './use-scan.js';
import './front-desk.css';

/** The front desk: find a member, check them in or out, edit them; the gym's live picture beside. */
export function FrontDesk() {
  const { api, realtime, role } = useDesk();
  const { actions, run } = useDeskActions();
  const index = memberIndexFor(realtime.clientId);
  const [member, setMember] = useState<Member | null>(null);
  const [openSinceMs, setOpenSinceMs] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  const [creating, setCreating] = useState(false);
  const scanInput = useRef<HTMLInputElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  // scan-first: the scan field has the focus after sign-in and after every action
  const focusScan = useCallback(() => scanInput.current?.focus(), []);
  useEffect(focusScan, [focusScan]);

  const select = useCallback((m: Member) => {
    setMember(m);
    setEditing(false);
    setOpenSinceMs(null);
  }, []);
  const scanner = useScan({ run, onMember: select, afterScan: focusScan });
  const { checkIn } = scanner;
  // a check-in from the card answers on the scan card too (alerts, a blocked check-in's override)
  const act = useCallback(
    (kind: 'check_in' | 'check_out', m: Member) => {
      if (kind === 'check_in') checkIn(m);
      else void run(kind, m);
      focusScan();
    },
    [run, checkIn, focusScan],
  );
  // an older server sends no role: it has no roles, so the one account may do everything
  const rights = { allowed: role === undefined || may(role, 'alert_override'), role };

  const memberId = member?.id;
  useEffect(() => {
    if (!memberId) return;
    let live = true;
    api
      .listVisits({ memberId, open: true, limit: 1 })
      .then((visits) => {
        if (live) setOpenSinceMs(visits[0]?.checkedInAt ?? null);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [api, memberId]);

  // the desk's own copy of the member list, for search and scan while the server is down
  const refreshIndex = useCallback(() => {
    api
      .searchMembers({ limit: INDEX_FETCH_LIMIT })
      .then((members) => index.replaceAll(members, Date.now()))
      .catch(() => {});
  }, [api, index]);
  useEffect(refreshIndex, [refreshIndex]);
  useReload(refreshIndex);
  const [copy, setCopy] = useState({ size: index.size, asOfMs: index.asOfMs });
  useEffect(() => {
    const read = () => setCopy({ size: index.size, asOfMs: index.asOfMs });
    read();
    return index.subscribe(read);
  }, [index]);

  useLiveEvents((event) => {
    if (event.name === 'member.created' || event.name === 'member.updated') {
      const m = (event.data as { member?: Member }).member;
      if (m) void index.upsert(m, event.at ?? Date.now());
    }
    if (!member) return;
    const data = event.data as { memberId?: string; at?: number; member?: Member };
    if (event.name === 'check_in.created' && data.memberId === member.id) {
      setOpenSinceMs(data.at ?? Date.now());
      setMember((m) => (m ? { ...m, lastVisitAt: data.at ?? m.lastVisitAt } : m));
    } else if (event.name === 'check_out.created' && data.memberId === member.id) {
      setOpenSinceMs(null);
    } else if (event.name === 'member.updated' && data.member?.id === member.id) {
      const updated = data.member;
      setMember((m) => (m && updated.version >= m.version ? updated : m));
    }
  });

  // keys outside any text field: a scanner's fast run + Enter is a scan, `/` finds, Alt+I / Alt+O act
  const keys = useRef({ scan: scanner.scan, act, member });
  keys.current = { scan: scanner.scan, act, member };
  useEffect(() => {
    const detector = new ScanDetector();
    const onKey = (event: KeyboardEvent) => {
      if (isTextField(event.target)) {
        detector.reset();
        return;
      }
      const current = keys.current;
      if (event.altKey && !event.ctrlKey && !event.metaKey && current.member) {
        if (event.code === 'KeyI' || event.code === 'KeyO') {
          event.preventDefault();
          current.act(event.code === 'KeyI' ? 'check_in' : 'check_out', current.member);
        }
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === '/' && !detector.inRun) {
        event.preventDefault();
        searchInput.current?.focus();
        return;
      }
      const code = detector.key(event.key, performance.now());
      if (code) {
        // the Enter that ends a scan must not also press a focused button
        event.preventDefault();
        scanInput.current?.focus();
        void current.scan(code);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const lastAction = member ? actions.find((a) => a.memberId === member.id) : undefined;
  return (
    <div className="desk-grid">
      <div className="desk-main">
        <section className="card find" aria-label="Find a member">
          <MemberSearch
            inputRef={searchInput}
            onSelect={(m) => {
              select(m);
              focusScan();
            }}
          />
          <ScanField inputRef={scanInput} onScan={(code) => void scanner.scan(code)} note={scanner.note} />
          <div className="find-actions">
            <button
              type="button"
              className="button"
              aria-expanded={creating}
              onClick={() => setCreating((c) => !c)}
            >
              New member
            </button>
            <span className="muted small">
              <kbd>/</kbd> search · <kbd>Alt</kbd>+<kbd>I</kbd> check in · <kbd>Alt</kbd>+<kbd>O</kbd> check
              out
            </span>
          </div>
          <p className="muted copy-status">
            {copy.asOfMs === null
              ? "This desk's copy of the members: not filled yet."
              : `This desk's copy of the members: ${copy.size}, as of ${clockTime(copy.asOfMs)}.`}
          </p>
        </section>
        {creating && (
          <NewMemberForm
            onCreated={(m) => {
              select(m);
              focusScan();
            }}
            onClose={() => {
              setCreating(false);
              focusScan();
            }}
          />
        )}
        {scanner.outcome && (
          <ScanResult
            outcome={scanner.outcome}
            onChoose={scanner.choose}
            rights={rights}
            onOverride={scanner.override}
          />
        )}
        {member ? (
          <MemberCard
            member={member}
            openSinceMs={openSinceMs}
            lastAction={lastAction}
            onCheckIn={() => act('check_in', member)}
            onCheckOut={() => act('check_out', member)}
            onEdit={() => setEditing(true)}
          />
        ) : (
          <section className="card empty-card">
            <p className="muted">Search for a member or scan a card to see their membership.</p>
          </section>
        )}
        {member && editing && (
          <MemberEditForm
            key={member.id}
            member={member}
            onClose={() => {
              setEditing(false);
              focusScan();
            }}
            onSaved={(saved) => setMember(saved)}
          />
        )}
        <ActionLog actions={actions} />
      </div>
      <div className="desk-side">
        <OccupancyPanel />
        <ChainOccupancy />
        <LiveFeed />
      </div>
    </div>
  );
}

/** Whether keys typed at `target` belong to it (a field, a list, an editable region). */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}
