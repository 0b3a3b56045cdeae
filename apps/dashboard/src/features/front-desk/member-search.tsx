import type { Member } from '@av-gym/protocol';
import { type KeyboardEvent, type Ref, useEffect, useId, useMemo, useState } from 'react';
import { isOnline, useDesk } from '../../app/desk-context.js';
import { Icon } from '../../app/icon.js';
import { memberIndexFor, offlineNote } from '../../lib/member-index.js';
import { HomeClub } from '../clubs/home-club.js';
import { statusBadge } from './membership.js';
import { distinguishing, namesakeIds } from './namesakes.js';

const DEBOUNCE_MS = 250;

/**
 * Combobox "Search members": name, email or membership number; arrows move, Enter opens. When
 * members in the results share a name, Enter opens one only after the clerk moved to it (arrows)
 * or clicked it: the first of two namesakes is never taken by default.
 */
export function MemberSearch({
  onSelect,
  inputRef,
}: {
  onSelect: (member: Member) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const { api, realtime } = useDesk();
  const listId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Member[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Set when the results come from this desk's copy, not the server. */
  const [offline, setOffline] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  /** The clerk moved through the list: Enter takes what they chose, namesake or not. */
  const [explicit, setExplicit] = useState(false);
  const [namesakeNote, setNamesakeNote] = useState<string | null>(null);
  const namesakes = useMemo(() => namesakeIds(results), [results]);

  useEffect(() => {
    const q = query.trim();
    // a new query never shows the last one's results: Enter must not pick a stale person
    setResults([]);
    setActive(-1);
    setExplicit(false);
    setNamesakeNote(null);
    setOffline(null);
    setSearching(q.length > 0);
    if (q.length === 0) return;
    const abort = new AbortController();
    const show = (members: Member[], note: string | null) => {
      setResults(members);
      setActive(members.length > 0 ? 0 : -1);
      setOpen(true);
      setError(null);
      setOffline(note);
      setSearching(false);
    };
    const fromCopy = () => {
      const index = memberIndexFor(realtime.clientId);
      void index.ready().then(() => {
        if (abort.signal.aborted) return;
        if (index.size === 0)
          setError('Search is unavailable right now, and this desk has no copy of the members yet.');
        else show(index.search(q, 8), offlineNote(index.asOfMs));
      });
    };
    const timer = setTimeout(() => {
      if (!isOnline(realtime.state)) {
        fromCopy();
        return;
      }
      api
        .searchMembers({ q, limit: 8 }, abort.signal)
        .then((members) => show(members, null))
        .catch(() => {
          if (!abort.signal.aborted) fromCopy();
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [api, realtime, query]);

  function choose(member: Member | undefined) {
    if (!member) return;
    onSelect(member);
    setOpen(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setExplicit(true);
      setActive((i) => Math.min(results.length - 1, i + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setExplicit(true);
      setActive((i) => Math.max(0, i - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const member = results[active];
      if (member && !explicit && namesakes.has(member.id)) {
        const count = results.filter((m) => namesakes.has(m.id) && m.name === member.name).length;
        setNamesakeNote(
          `${count} members are named ${member.name}. Ask for their card number or email, then choose one with the arrow keys or a click.`,
        );
        return;
      }
      choose(member);
    } else if (event.key === 'Escape') {
      setOpen(false);
    }
  }

  const showList = open && query.trim().length > 0;
  return (
    <div className="search">
      <label className="field" htmlFor={`${listId}-input`}>
        <span>Search members</span>
      </label>
      <input
        id={`${listId}-input`}
        ref={inputRef}
        type="search"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        placeholder="Name, email or membership number"
        autoComplete="off"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
      />
      {error && <p className="notice notice-poor">{error}</p>}
      {showList && offline && (
        <p className="notice notice-fair search-offline" role="note">
          {offline}
        </p>
      )}
      {showList && namesakeNote && (
        <p className="notice notice-fair" role="alert">
          {namesakeNote}
        </p>
      )}
      {showList && (
        <div id={listId} role="listbox" aria-label="Matching members" className="search-results">
          {results.length === 0 && (
            <p className="muted search-empty">
              {searching ? 'Searching…' : error ? '' : 'No member matches.'}
            </p>
          )}
          {results.map((m, i) => {
            const badge = statusBadge(m.status);
            return (
              <div
                key={m.id}
                tabIndex={-1}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'search-option active' : 'search-option'}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(m)}
                onKeyDown={() => {}}
              >
                <span className="search-name">{m.name}</span>
                <span className="muted">
                  {namesakes.has(m.id) ? `Same name: ${distinguishing(m)}` : m.membershipNumber}
                  <HomeClub member={m} />
                </span>
                <span className={`badge tone-${badge.tone}`}>
                  <Icon name={badge.icon} size={13} />
                  {badge.label}
                </span>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
