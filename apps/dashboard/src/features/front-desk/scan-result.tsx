import type { CheckInAlert, Member } from '@av-gym/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Icon } from '../../app/icon.js';
import { AlertList } from './alert-list.js';
import { distinguishing } from './namesakes.js';
import { OverrideDialog } from './override-dialog.js';

/** The outcome of the last scan, shown until the next one. */
export type ScanOutcome =
  | { kind: 'checking'; code: string; member?: Member }
  | {
      kind: 'pass';
      code: string;
      member: Member;
      text: string;
      alerts: CheckInAlert[];
      override?: { reason: string; by: string | null };
    }
  | { kind: 'queued'; code: string; member: Member; text: string }
  | {
      kind: 'fail';
      code: string;
      member?: Member;
      text: string;
      alerts?: CheckInAlert[];
      /** Every blocking reason may be overridden by a role allowed to. */
      overridable?: boolean;
    }
  | { kind: 'choose'; code: string; members: Member[] };

const SOUND_KEY = 'av-gym.scan-sound';

function soundPreferred(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === 'on';
  } catch {
    return false;
  }
}

/** A short tone: one high beep for a pass, two low ones for a refusal. */
function beep(pass: boolean): void {
  const Ctx = globalThis.AudioContext;
  if (!Ctx) return;
  try {
    const ctx = new Ctx();
    const tones = pass ? [880] : [220, 220];
    tones.forEach((hz, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = hz;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      const start = ctx.currentTime + i * 0.22;
      osc.start(start);
      osc.stop(start + 0.15);
    });
    setTimeout(() => void ctx.close(), 1_000);
  } catch {
    // no audio device, or the page may not play sound yet: the card says it all
  }
}

const LOOK = {
  checking: { tone: 'fair', icon: 'clock', title: 'Checking…' },
  pass: { tone: 'good', icon: 'check', title: 'Welcome' },
  queued: { tone: 'fair', icon: 'clock', title: 'Let in: saved on this desk' },
  fail: { tone: 'poor', icon: 'cross', title: 'Not checked in' },
  choose: { tone: 'fair', icon: 'people', title: 'Several members: choose one' },
} as const;

/** Who is at the desk, as far as overrides go. */
export interface OverrideRights {
  /** The signed-in role may override blocking alerts (`alert_override`). */
  allowed: boolean;
  /** The role's name, to say why not. */
  role: string | undefined;
}

/**
 * The large pass/fail card of a scan: colour, icon and words, readable from two metres away; the
 * check-in's alerts; for a blocked check-in, an Override button (or why this role has none).
 */
export function ScanResult(props: {
  outcome: ScanOutcome;
  onChoose: (member: Member) => void;
  rights: OverrideRights;
  onOverride: (member: Member, reason: string) => void;
}) {
  const { outcome } = props;
  const [sound, setSound] = useState(soundPreferred);
  const [overriding, setOverriding] = useState(false);
  const submitted = useRef(false);
  const overrideButton = useRef<HTMLButtonElement>(null);
  const look = LOOK[outcome.kind];
  const closeDialog = useCallback(() => {
    setOverriding(false);
    // cancelled: back to the button that opened it; sent: the check-in moves the focus to the scan field
    if (!submitted.current) overrideButton.current?.focus();
    submitted.current = false;
  }, []);
  // a new outcome (the override's own check-in, the next scan) ends any dialog of the last one
  useEffect(() => {
    void outcome;
    setOverriding(false);
    submitted.current = false;
  }, [outcome]);
  const blocked = outcome.kind === 'fail' && outcome.member !== undefined && outcome.overridable === true;

  useEffect(() => {
    if (!sound) return;
    if (outcome.kind === 'pass') beep(true);
    else if (outcome.kind === 'fail' || outcome.kind === 'choose') beep(false);
  }, [outcome, sound]);

  return (
    <section className={`card scan-result scan-${look.tone}`} aria-labelledby="scan-result-title">
      <div className="scan-result-body" aria-live="polite">
        <Icon name={look.icon} size={56} className="scan-result-icon" />
        <div>
          <h2 id="scan-result-title" className="scan-result-title">
            {look.title}
            {outcome.kind === 'pass' && `, ${outcome.member.name}`}
          </h2>
          {'text' in outcome && <p className="scan-result-text">{outcome.text}</p>}
          {outcome.kind === 'pass' && outcome.override && (
            <p className="override-line">
              <Icon name="shield" size={18} />
              Override by {outcome.override.by ?? 'unknown staff'}: {outcome.override.reason}
            </p>
          )}
          {(outcome.kind === 'pass' || outcome.kind === 'fail') && outcome.alerts && (
            <AlertList alerts={outcome.alerts} label="Alerts for this check-in" />
          )}
          {blocked && outcome.kind === 'fail' && outcome.member && (
            <div className="override-row">
              {props.rights.allowed ? (
                <button
                  ref={overrideButton}
                  type="button"
                  className="button"
                  aria-haspopup="dialog"
                  onClick={() => setOverriding(true)}
                >
                  <Icon name="shield" />
                  Override
                </button>
              ) : (
                <p className="muted">
                  <Icon name="shield" size={16} /> Only a manager or admin can override this
                  {props.rights.role ? ` (you are signed in as ${props.rights.role})` : ''}: ask one to sign
                  in at a desk.
                </p>
              )}
              {overriding && (
                <OverrideDialog
                  memberName={outcome.member.name}
                  alerts={outcome.alerts ?? []}
                  onSubmit={(reason) => {
                    submitted.current = true;
                    setOverriding(false);
                    if (outcome.member) props.onOverride(outcome.member, reason);
                  }}
                  onClose={closeDialog}
                />
              )}
            </div>
          )}
          {outcome.kind === 'checking' && (
            <p className="scan-result-text">
              {outcome.member ? outcome.member.name : `Card ${outcome.code}`}
            </p>
          )}
          {outcome.kind === 'choose' && (
            <>
              <p className="scan-result-text">
                Card {outcome.code} matches {outcome.members.length} members. Ask for their email or phone and
                choose:
              </p>
              <ul className="choose-list">
                {outcome.members.map((m) => (
                  <li key={m.id}>
                    <button type="button" className="button" onClick={() => props.onChoose(m)}>
                      {m.name} ({distinguishing(m)})
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      </div>
      <label className="scan-sound">
        <input
          type="checkbox"
          checked={sound}
          onChange={(e) => {
            setSound(e.target.checked);
            try {
              localStorage.setItem(SOUND_KEY, e.target.checked ? 'on' : 'off');
            } catch {
              // not kept: it still applies to this page
            }
          }}
        />
        Sound on scan
      </label>
    </section>
  );
}
