import { describe, expect, it } from 'vitest';
import { identity, saveDeskName } from './desk-identity.js';
import { memoryStorage } from './memory-storage.test-util.js';

describe('identity', () => {
  it('makes a desk-<random> id once and keeps it', () => {
    const storage = memoryStorage();
    const first = identity(storage);
    expect(first.clientId).toMatch(/^desk-[0-9a-f]{8}$/);
    expect(identity(storage).clientId).toBe(first.clientId);
  });

  it('gives each browser its own id', () => {
    expect(identity(memoryStorage()).clientId).not.toBe(identity(memoryStorage()).clientId);
  });

  it('uses the id as the desk name until one is saved', () => {
    const storage = memoryStorage();
    const { clientId, deskName } = identity(storage);
    expect(deskName).toBe(clientId);
    expect(saveDeskName('  Front A  ', storage)).toBe('Front A');
    expect(identity(storage)).toEqual({ clientId, deskName: 'Front A' });
  });

  it('ignores a blank name and cuts a long one to 64 characters', () => {
    const storage = memoryStorage();
    saveDeskName('Front A', storage);
    expect(saveDeskName('   ', storage)).toBe('Front A');
    expect(saveDeskName('x'.repeat(80), storage)).toHaveLength(64);
  });
});
