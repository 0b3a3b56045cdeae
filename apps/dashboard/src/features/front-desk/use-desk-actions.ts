import type { Member } from '@av-gym/protocol';
import { useCallback, useState } from 'react';
import { isOnline, useDesk } from '../../app/desk-context.js';
import type { SendOutcome } from '../../lib/realtime.js';
import { rejectionText } from './membership.js';

/** One check-in or check-out the desk sent, from pending to confirmed or refused. */
export interface DeskAction {
  id: number;
  kind: 'check_in' | 'check_out';
  memberId: string;
  memberName: string;
  status: 'pending' | 'confirmed' | 'refused';
  /** Sent while the connection was down: it waits in the outbox. */
  queuedOffline: boolean;
  text: string;
  atMs: number;
}

const MAX_ACTIONS = 8;
let nextId = 1;

const VERB = { check_in: 'Check-in', check_out: 'Check-out' } as const;
const DONE = { check_in: 'checked in', check_out: 'checked out' } as const;

/** Sends check-ins and check-outs and tracks each until the server's answer. */
export function useDeskActions() {
  const { realtime, deskName } = useDesk();
  const [actions, setActions] = useState<DeskAction[]>([]);

  const update = useCallback((id: number, patch: Partial<DeskAction>) => {
    setActions((list) => list.map((a) => (a.id === id ? { ...a, ...patch } : a)));
  }, []);

  const run = useCallback(
    async (kind: DeskAction['kind'], member: Member): Promise<SendOutcome> => {
      const id = nextId++;
      const queuedOffline = !isOnline(realtime.state);
      const action: DeskAction = {
        id,
        kind,
        memberId: member.id,
        memberName: member.name,
        status: 'pending',
        queuedOffline,
        text: queuedOffline
          ? `${VERB[kind]} of ${member.name} pending: it is sent when the connection returns.`
          : `${VERB[kind]} of ${member.name} pending…`,
        atMs: Date.now(),
      };
      setActions((list) => [action, ...list].slice(0, MAX_ACTIONS));
      let outcome: SendOutcome;
      try {
        outcome = await realtime.send(kind, { memberId: member.id, deskId: deskName });
      } catch (err) {
        outcome = {
          ok: false,
          id: '',
          code: 'INTERNAL',
          message: err instanceof Error ? err.message : String(err),
        };
      }
      if (outcome.ok) {
        update(id, { status: 'confirmed', text: `${member.name} ${DONE[kind]}.` });
      } else {
        update(id, { status: 'refused', text: rejectionText(outcome, member) });
      }
      return outcome;
    },
    [realtime, deskName, update],
  );

  return { actions, run };
}
