import type { Member } from '@av-gym/protocol';
import { type FormEvent, useRef, useState } from 'react';
import { isOnline, useDesk } from '../../app/desk-context.js';
import { memberIndexFor, offlineNote } from '../../lib/member-index.js';
import { ScanCooldown } from './scan-cooldown.js';

/**
 * Takes a barcode scanner's typed membership number + Enter, finds the member and checks
 * them in. The same code again within 1 s is ignored (scanners often fire twice).
 */
export function ScanField({ onScanned }: { onScanned: (member: Member) => void }) {
  const { api, realtime } = useDesk();
  const [code, setCode] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const cooldown = useRef(new ScanCooldown({ cooldownMs: 1_000 }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const scanned = code.trim();
    setCode('');
    if (!cooldown.current.accept(scanned)) {
      setNote(scanned ? 'Same card scanned twice: ignored.' : null);
      return;
    }
    setNote(null);
    if (isOnline(realtime.state)) {
      try {
        const members = await api.searchMembers({ q: scanned, limit: 5 });
        const member = members.find((m) => m.membershipNumber.toUpperCase() === scanned.toUpperCase());
        if (!member) {
          setNote(`No member has card number ${scanned}.`);
          return;
        }
        onScanned(member);
        return;
      } catch {
        // the server went away between the state and the request: the desk's copy answers
      }
    }
    const index = memberIndexFor(realtime.clientId);
    await index.ready();
    if (index.size === 0) {
      setNote('The member list cannot be reached right now, and this desk has no copy of it yet.');
      return;
    }
    const member = index.byNumber(scanned);
    const note = offlineNote(index.asOfMs);
    if (!member) {
      setNote(`No member has card number ${scanned} (${note}).`);
      return;
    }
    setNote(`${member.name} (${note}).`);
    onScanned(member);
  }

  return (
    <form className="scan" onSubmit={submit}>
      <label className="field">
        <span>Scan membership card</span>
        <input
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="Scan or type a number, then Enter"
          autoComplete="off"
          inputMode="text"
        />
      </label>
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
    </form>
  );
}
