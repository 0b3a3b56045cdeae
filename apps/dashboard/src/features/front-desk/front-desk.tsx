import type { Member } from '@av-gym/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useDesk, useLiveEvents, useReload } from '../../app/desk-context.js';
import { clockTime, INDEX_FETCH_LIMIT, memberIndexFor } from '../../lib/member-index.js';
import { ActionLog } from './action-log.js';
import { LiveFeed } from './live-feed.js';
import { MemberCard } from './member-card.js';
import { MemberEditForm } from './member-edit-form.js';
import { MemberSearch } from './member-search.js';
import { OccupancyPanel } from './occupancy-panel.js';
import { ScanField } from './scan-field.js';
import { useDeskActions } from './use-desk-actions.js';
import './front-desk.css';

/** The front desk: find a member, check them in or out, edit them; the gym's live picture beside. */
export function FrontDesk() {
  const { api, realtime } = useDesk();
  const { actions, run } = useDeskActions();
  const index = memberIndexFor(realtime.clientId);
  const [member, setMember] = useState<Member | null>(null);
  const [openSinceMs, setOpenSinceMs] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);

  const select = useCallback((m: Member) => {
    setMember(m);
    setEditing(false);
    setOpenSinceMs(null);
  }, []);

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

  const lastAction = member ? actions.find((a) => a.memberId === member.id) : undefined;
  return (
    <div className="desk-grid">
      <div className="desk-main">
        <section className="card find" aria-label="Find a member">
          <MemberSearch onSelect={select} />
          <ScanField
            onScanned={(m) => {
              select(m);
              void run('check_in', m);
            }}
          />
          <p className="muted copy-status">
            {copy.asOfMs === null
              ? "This desk's copy of the members: not filled yet."
              : `This desk's copy of the members: ${copy.size}, as of ${clockTime(copy.asOfMs)}.`}
          </p>
        </section>
        {member ? (
          <MemberCard
            member={member}
            openSinceMs={openSinceMs}
            lastAction={lastAction}
            onCheckIn={() => void run('check_in', member)}
            onCheckOut={() => void run('check_out', member)}
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
            onClose={() => setEditing(false)}
            onSaved={(saved) => setMember(saved)}
          />
        )}
        <ActionLog actions={actions} />
      </div>
      <div className="desk-side">
        <OccupancyPanel />
        <LiveFeed />
      </div>
    </div>
  );
}
