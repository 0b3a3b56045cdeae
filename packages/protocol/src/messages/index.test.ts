import { describe, expect, it } from 'vitest';
import { conflictKey, DEFAULT_PRIORITY, isMessageType, MESSAGE_TYPES } from './index.js';

describe('message registry', () => {
  it('gives every type a default priority', () => {
    for (const type of MESSAGE_TYPES) expect(DEFAULT_PRIORITY[type]).toMatch(/^(high|medium|low)$/);
    expect(DEFAULT_PRIORITY.check_in).toBe('high');
    expect(DEFAULT_PRIORITY.member_update).toBe('medium');
    expect(DEFAULT_PRIORITY.client_stats).toBe('low');
  });

  it('knows its own types and nothing inherited', () => {
    expect(isMessageType('check_out')).toBe(true);
    expect(isMessageType('constructor')).toBe(false);
  });

  it('keys conflicts by member and ignores client_stats', () => {
    expect(conflictKey('check_in', { memberId: 'm_1' })).toBe('m_1');
    expect(conflictKey('member_update', { memberId: 'm_2', changes: {} })).toBe('m_2');
    expect(conflictKey('client_stats', { memberId: 'm_1' })).toBeUndefined();
    expect(conflictKey('check_in', null)).toBeUndefined();
  });
});
