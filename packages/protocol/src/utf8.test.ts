import { describe, expect, it } from 'vitest';
import { utf8Length } from './utf8.js';

describe('utf8Length', () => {
  it('counts what an encoder would write', () => {
    for (const text of ['', 'plain ascii', 'Zoë Łukasz', '日本語', '🏋️ gym 💪', '\ud800 lone', 'end \ud83d']) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});
