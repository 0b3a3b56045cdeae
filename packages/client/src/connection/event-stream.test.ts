import type { EventFrame } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { EventStream } from './event-stream.js';

const ev = (seq: number): EventFrame => ({
  type: 'event',
  seq,
  topic: 'check_ins',
  name: 'check_in.created',
  data: {},
});

describe('EventStream', () => {
  it('asks for no resume before the first welcome, then from the last applied seq', () => {
    const s = new EventStream();
    expect(s.resumeField()).toBeUndefined();
    expect(s.welcome(10, false)).toBeUndefined();
    expect(s.accept(ev(11))).toBeDefined();
    expect(s.resumeField()).toEqual({ lastEventSeq: 11 });
  });

  // garbage never gets here: decodeServerFrame refuses it (websocket-service.test.ts: 'ignores frames that do not decode')
  it('skips repeats', () => {
    const s = new EventStream();
    s.welcome(0, false);
    expect(s.accept(ev(1))).toBeDefined();
    expect(s.accept(ev(1))).toBeUndefined();
    expect(s.lastSeq).toBe(1);
  });

  it('asks for a reload when a resume fails and carries on from the welcome seq', () => {
    const s = new EventStream();
    s.welcome(5, false);
    s.resumeField();
    expect(s.welcome(40, false)).toEqual({ reason: 'resume_failed', eventSeq: 40 });
    expect(s.lastSeq).toBe(40);
    s.resumeField();
    expect(s.welcome(40, true)).toBeUndefined();
  });
});
