import type { Member } from '@av-gym/protocol';
import { useEffect, useState } from 'react';
import { Icon } from '../../app/icon.js';
import { distinguishing } from './namesakes.js';

/** The outcome of the last scan, shown until the next one. */
export type ScanOutcome =
  | { kind: 'checking'; code: string; member?: Member }
  | { kind: 'pass'; code: string; member: Member; text: string }
  | { kind: 'queued'; code: string; member: Member; text: string }
  | { kind: 'fail'; code: string; member?: Member; text: string }
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

/** The large pass/fail card of a scan: colour, icon and words, readable from two metres away. */
export function ScanResult(props: { outcome: ScanOutcome; onChoose: (member: Member) => void }) {
  const { outcome } = props;
  const [sound, setSound] = useState(soundPreferred);
  const look = LOOK[outcome.kind];

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
