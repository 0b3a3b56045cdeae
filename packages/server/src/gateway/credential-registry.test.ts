import { describe, expect, it } from 'vitest';
import { CredentialRegistry } from './credential-registry.js';

const limits = { framesPerSec: 10, frameBurst: 10, messagesPerSec: 10, messageBurst: 10 };

describe('CredentialRegistry', () => {
  it('gives every connection of one credential the same budget', () => {
    const r = new CredentialRegistry<string>(limits, () => 0);
    const a = r.join('cred-1', 'a');
    const b = r.join('cred-1', 'b');
    const c = r.join('cred-2', 'c');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(r.membersOf('cred-1')).toEqual(['a', 'b']);
  });

  it('drops a credential with its last connection', () => {
    const r = new CredentialRegistry<number>(limits, () => 0);
    for (let i = 0; i < 1000; i++) {
      r.join(`cred-${i}`, i);
      r.leave(`cred-${i}`, i);
    }
    expect(r.size).toBe(0);
    r.leave('unknown', 1);
    expect(r.membersOf('unknown')).toEqual([]);
  });
});
