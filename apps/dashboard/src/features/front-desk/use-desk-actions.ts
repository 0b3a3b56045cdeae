import type { Member } from '@av-gym/protocol';
import { useCallback, useEffect, useState } from 'react';
import { isOnline, useDesk } from '../../app/desk-context.js';
import { clockTime, memberIndexFor } from '../../lib/member-index.js';
import { durableOutbox, type SendOutcome, type StoredAction } from '../../lib/realtime.js';
import { rejectionText } from './membership.js';

/** One check-in or check-out the desk sent, from pending to confirmed or refused. */
export interface DeskAction {
  /** The message id: the same across a reload, so a line saved before it finds its answer after. */
  id: string;
  kind: 'check_in' | 'check_out';
  memberId: string;
  memberName: string;
  status: 'pending' | 'confirmed' | 'refused';
  /** Sent while the connection was down: it waits in the outbox. */
  queuedOffline: boolean;
  /** In this desk's outbox store: a reload or a closed tab loses nothing. */
  saved: boolean;
  text: string;
  atMs: number;
}

/** What a check-in may carry besides the member: a staff override of blocking alerts. */
export interface DeskActionExtra {
  override?: { reason: string };
}

const MAX_ACTIONS = 8;

const VERB = { check_in: 'Check-in', check_out: 'Check-out' } as const;
const DONE = { check_in: 'checked in', check_out: 'checked out' } as const;

function isDeskKind(type: string): type is DeskAction['kind'] {
  return type === 'check_in' || type === 'check_out';
}

function waitingText(kind: DeskAction['kind'], name: string, saved: boolean): string {
  return saved
    ? `${VERB[kind]} of ${name} pending: saved on this desk, sent when the connection returns.`
    : `${VERB[kind]} of ${name} pending: it is sent when the connection returns.`;
}

/** Sends check-ins and check-outs and tracks each until the server's answer, across reloads. */
export function useDeskActions() {
  const { realtime, deskName } = useDesk();
  const [actions, setActions] = useState<DeskAction[]>([]);

  const update = useCallback((id: string, patch: Partial<DeskAction>) => {
    setActions((list) => list.map((a) => (a.id === id ? { ...a, ...patch } : a)));
  }, []);

  const settle = useCallback(
    (
      id: string,
      kind: DeskAction['kind'],
      name: string,
      member: Member | undefined,
      outcome: SendOutcome,
    ) => {
      if (outcome.ok) update(id, { status: 'confirmed', text: `${name} ${DONE[kind]}.` });
      // CLOSED with a store: the page is going away and the action stays saved for the next one
      else if (outcome.code !== 'CLOSED' || !durableOutbox)
        update(id, {
          status: 'refused',
          text: `${VERB[kind]} of ${name} refused: ${rejectionText(outcome, member)}`,
        });
    },
    [update],
  );

  // actions an earlier page (a reload, a closed tab) saved: shown as waiting, answered by `ack`
  useEffect(() => {
    const index = memberIndexFor(realtime.clientId);
    const adopt = (saved: StoredAction[]) => {
      setActions((list) => {
        const known = new Set(list.map((a) => a.id));
        const restored: DeskAction[] = [];
        for (const s of saved) {
          if (known.has(s.id) || !isDeskKind(s.type)) continue;
          const memberId = String((s.data as { memberId?: unknown }).memberId ?? '');
          const name = index.byId(memberId)?.name ?? memberId;
          restored.push({
            id: s.id,
            kind: s.type,
            memberId,
            memberName: name,
            status: 'pending',
            queuedOffline: true,
            saved: true,
            text: `${VERB[s.type]} of ${name} pending: saved on this desk at ${clockTime(s.savedAt)}, sent when the connection returns.`,
            atMs: s.savedAt,
          });
        }
        return restored.length === 0 ? list : [...list, ...restored.reverse()].slice(0, MAX_ACTIONS);
      });
    };
    void index.ready().then(() => adopt(realtime.savedActions()));
    const offOutbox = realtime.on('outbox', () => adopt(realtime.savedActions()));
    const offAck = realtime.on('ack', (notice) => {
      if (!isDeskKind(notice.type)) return;
      setActions((list) => {
        const line = list.find((a) => a.id === notice.id);
        if (line === undefined || line.status !== 'pending') return list;
        const member = index.byId(line.memberId);
        const o = notice.outcome;
        if (o.ok)
          return list.map((a) =>
            a === line ? { ...a, status: 'confirmed', text: `${line.memberName} ${DONE[line.kind]}.` } : a,
          );
        if (o.code === 'CLOSED') return list;
        return list.map((a) =>
          a === line
            ? {
                ...a,
                status: 'refused',
                text: `${VERB[line.kind]} of ${line.memberName} refused: ${rejectionText(o, member)}`,
              }
            : a,
        );
      });
    });
    return () => {
      offOutbox();
      offAck();
    };
  }, [realtime]);

  const run = useCallback(
    async (kind: DeskAction['kind'], member: Member, extra: DeskActionExtra = {}): Promise<SendOutcome> => {
      const id = realtime.newId();
      const queuedOffline = !isOnline(realtime.state);
      const action: DeskAction = {
        id,
        kind,
        memberId: member.id,
        memberName: member.name,
        status: 'pending',
        queuedOffline,
        saved: false,
        // "saved on this desk" only once the store has it (onSaved), never before
        text: queuedOffline
          ? waitingText(kind, member.name, false)
          : `${VERB[kind]} of ${member.name} pending…`,
        atMs: Date.now(),
      };
      setActions((list) => [action, ...list].slice(0, MAX_ACTIONS));
      let outcome: SendOutcome;
      try {
        outcome = await realtime.send(
          kind,
          { memberId: member.id, deskId: deskName, ...(kind === 'check_in' ? extra : {}) },
          {
            id,
            onSaved: () =>
              setActions((list) =>
                list.map((a) =>
                  a.id === id && a.status === 'pending'
                    ? {
                        ...a,
                        saved: true,
                        ...(a.queuedOffline ? { text: waitingText(kind, member.name, true) } : {}),
                      }
                    : a,
                ),
              ),
          },
        );
      } catch (err) {
        outcome = {
          ok: false,
          id,
          code: 'INTERNAL',
          message: err instanceof Error ? err.message : String(err),
        };
      }
      settle(id, kind, member.name, member, outcome);
      return outcome;
    },
    [realtime, deskName, settle],
  );

  return { actions, run };
}
