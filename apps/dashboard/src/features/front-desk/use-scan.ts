import type { Member } from '@av-gym/protocol';
import { useCallback, useRef, useState } from 'react';
import { isOnline, useDesk } from '../../app/desk-context.js';
import type { SendOutcome } from '../../lib/realtime.js';
import { alertsOf, overrideOf, refusalOf } from './check-in-alerts.js';
import { findByCard } from './find-card.js';
import { formatWhen, rejectionText } from './membership.js';
import { ScanCooldown } from './scan-cooldown.js';
import type { ScanOutcome } from './scan-result.js';
import type { DeskActionExtra } from './use-desk-actions.js';

/**
 * What a scan does: find the card's holder (server, else this desk's copy), ask for a choice
 * when several members match, check the one member in, and keep the outcome for the scan result
 * card until the next scan. The same code again within 1 s is ignored (scanners often fire twice).
 */
export function useScan(options: {
  run: (kind: 'check_in', member: Member, extra?: DeskActionExtra) => Promise<SendOutcome>;
  onMember: (member: Member) => void;
  afterScan: () => void;
}) {
  const { api, realtime } = useDesk();
  const { run, onMember, afterScan } = options;
  const [outcome, setOutcome] = useState<ScanOutcome | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const cooldown = useRef(new ScanCooldown({ cooldownMs: 1_000 }));
  const seq = useRef(0);

  const admit = useCallback(
    async (code: string, member: Member, mine: number, extra: DeskActionExtra = {}) => {
      onMember(member);
      const offline = !isOnline(realtime.state);
      setOutcome(
        offline
          ? {
              kind: 'queued',
              code,
              member,
              text: `${member.name}: the check-in is saved on this desk and sent when the connection returns.`,
            }
          : { kind: 'checking', code, member },
      );
      afterScan();
      const result = await run('check_in', member, extra);
      if (mine !== seq.current) return;
      if (result.ok) {
        const override = overrideOf(result.info);
        setOutcome({
          kind: 'pass',
          code,
          member,
          text: `Checked in at ${formatWhen(Date.now(), new Date())} · card ${member.membershipNumber} · ${member.plan} plan`,
          alerts: alertsOf(result.info),
          ...(override ? { override } : {}),
        });
      } else if (result.code !== 'CLOSED')
        setOutcome({
          kind: 'fail',
          code,
          member,
          text: rejectionText(result, member),
          ...refusalOf(result.data),
        });
    },
    [realtime, run, onMember, afterScan],
  );

  const scan = useCallback(
    async (raw: string) => {
      const code = raw.trim();
      if (!cooldown.current.accept(code)) {
        setNote(code ? 'Same card scanned twice: ignored.' : null);
        return;
      }
      setNote(null);
      const mine = ++seq.current;
      setOutcome({ kind: 'checking', code });
      const found = await findByCard(api, realtime, code);
      if (mine !== seq.current) return;
      if ('error' in found) {
        setOutcome({ kind: 'fail', code, text: found.error });
        afterScan();
        return;
      }
      const where = found.offlineNote ? ` (${found.offlineNote})` : '';
      const [first, ...others] = found.members;
      if (!first) {
        setOutcome({ kind: 'fail', code, text: `No member has card number ${code}${where}.` });
        afterScan();
        return;
      }
      if (others.length > 0) {
        setOutcome({ kind: 'choose', code, members: found.members });
        return;
      }
      if (found.offlineNote) setNote(`${first.name}${where}.`);
      await admit(code, first, mine);
    },
    [api, realtime, admit, afterScan],
  );

  /** The clerk picked one of several members a scan matched. */
  const choose = useCallback(
    (member: Member) => {
      const code = outcome?.code ?? member.membershipNumber;
      void admit(code, member, ++seq.current);
    },
    [admit, outcome],
  );

  /** A check-in from the member card (button or Alt+I): answered on the same card as a scan. */
  const checkIn = useCallback(
    (member: Member) => void admit(member.membershipNumber, member, ++seq.current),
    [admit],
  );

  /** The staff member overrides the blocking alerts of the refused check-in on the card, with a reason. */
  const override = useCallback(
    (member: Member, reason: string) =>
      void admit(outcome?.code ?? member.membershipNumber, member, ++seq.current, { override: { reason } }),
    [admit, outcome],
  );

  return { scan, choose, checkIn, override, outcome, note };
}
