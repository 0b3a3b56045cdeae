/**
 * A desk as its own process, for desk-crash.int.test.ts: `send` queues the plan's check-ins/outs
 * (the server is down) and prints `saved N` once every one is in the journal; `resume` sends
 * nothing new, and prints one JSON summary line once the journal is empty. Argv: mode url token journal members opsPerMember.
 */
import { WebSocket } from 'ws';
import { WebSocketService } from '../src/index.js';
import { JournalOutboxStore } from '../src/node.js';

const [mode, url, token, journal, membersArg, opsArg] = process.argv.slice(2);
if (mode === undefined || url === undefined || journal === undefined)
  throw new Error('usage: desk-process mode url token journal members opsPerMember');
const members = Number(membersArg);
const opsPerMember = Number(opsArg);

const svc = new WebSocketService({
  url,
  token,
  clientId: 'desk-crash',
  WebSocket,
  network: null,
  reconnectBaseDelayMs: 100,
  reconnectMaxDelayMs: 1_000,
  clientStatsIntervalMs: 0,
  outboxStore: new JournalOutboxStore({ path: journal }),
});

let ok = 0;
let duplicates = 0;
const refused: string[] = [];
svc.on('ack', (n) => {
  if (n.outcome.ok) {
    ok++;
    if (n.outcome.duplicate) duplicates++;
  } else refused.push(`${n.type} ${n.outcome.code}`);
});
void svc.connect().catch(() => undefined);

if (mode === 'send') {
  let saved = 0;
  const total = members * opsPerMember;
  // member by member interleaved: round r sends every member's r-th action (in, out, in, ...)
  for (let r = 0; r < opsPerMember; r++) {
    for (let m = 0; m < members; m++) {
      void svc.send(
        r % 2 === 0 ? 'check_in' : 'check_out',
        { memberId: `m_crash_${m}` },
        {
          onSaved: () => {
            saved++;
            if (saved === total) process.stdout.write(`saved ${saved}\n`);
          },
        },
      );
    }
  }
} else {
  let restored = 0;
  svc.on('outbox', (s) => {
    restored = Math.max(restored, s.saved);
    if (restored > 0 && s.saved === 0) {
      process.stdout.write(`${JSON.stringify({ restored, ok, duplicates, refused })}\n`);
      void svc.close().then(() => process.exit(0));
    }
  });
}
