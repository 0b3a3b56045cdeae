import { describe, expect, it } from 'vitest';
import { ConnectionStateMachine, type StateChange } from './state.js';

describe('ConnectionStateMachine', () => {
  it('reports every transition with from and to', () => {
    const seen: StateChange[] = [];
    const m = new ConnectionStateMachine((c) => seen.push(c));
    m.set('connecting');
    m.set('open');
    m.set('reconnecting', { code: 1006 });
    m.set('connecting');
    m.set('closed', { code: 4401, terminal: true });
    expect(seen).toEqual([
      { from: 'idle', to: 'connecting' },
      { from: 'connecting', to: 'open' },
      { from: 'open', to: 'reconnecting', reason: { code: 1006 } },
      { from: 'reconnecting', to: 'connecting' },
      { from: 'connecting', to: 'closed', reason: { code: 4401, terminal: true } },
    ]);
  });

  it('refuses transitions the machine does not have, and leaves closed never', () => {
    const seen: StateChange[] = [];
    const m = new ConnectionStateMachine((c) => seen.push(c));
    expect(m.set('open')).toBe(false);
    expect(m.set('closed')).toBe(true);
    expect(m.set('connecting')).toBe(false);
    expect(m.state).toBe('closed');
    expect(seen).toHaveLength(1);
  });
});
