import { describe, expect, it } from 'vitest';
import { decodeServerFrame } from './decode-server-frame.js';
import { HelloFrame } from './frames.js';

const alert = {
  id: 'al_1',
  rule: 'desk_offline',
  subject: 'desk-3',
  severity: 'critical',
  state: 'firing',
  summary: 'Desk desk-3 offline for 4 min',
  value: 240000,
  node: 'node-a',
  startedAt: 1,
  firedAt: 2,
  resolvedAt: null,
  updatedAt: 2,
};

describe('alert frame (extension)', () => {
  it('parses an alert and refuses one with an unknown rule or state', () => {
    expect(decodeServerFrame(JSON.stringify({ type: 'alert', alert }))).toEqual({
      ok: true,
      frame: { type: 'alert', alert },
    });
    expect(decodeServerFrame(JSON.stringify({ type: 'alert', alert: { ...alert, rule: 'nope' } })).ok).toBe(
      false,
    );
    expect(decodeServerFrame(JSON.stringify({ type: 'alert', alert: { ...alert, state: 'odd' } })).ok).toBe(
      false,
    );
  });

  it('takes the alerts topic in hello beside the event topics', () => {
    expect(HelloFrame.safeParse({ type: 'hello', clientId: 'd', topics: ['alerts', '*'] }).success).toBe(
      true,
    );
    expect(HelloFrame.safeParse({ type: 'hello', clientId: 'd', topics: ['alarms'] }).success).toBe(false);
  });
});
