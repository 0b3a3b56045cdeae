import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../testing/manual-clock.js';
import { CompressionPolicy } from './compression-policy.js';
import type { Compressor } from './frame-compressor.js';
import { FrameSender } from './frame-sender.js';

const syncDeflate: Compressor = (b) => deflateRawSync(b);

/** A JSON text of about `n` bytes that compresses well. */
const big = (tag: string, n = 2000) => JSON.stringify({ type: 'batch', tag, pad: 'check_in '.repeat(n / 9) });
const small = (tag: string) => JSON.stringify({ type: 'check_in', tag });

/** An async compressor whose results the test releases one by one. */
function deferredCompressor() {
  const pending: (() => void)[] = [];
  const compress: Compressor = (b) =>
    new Promise((resolve) => pending.push(() => resolve(deflateRawSync(b))));
  return { compress, release: () => pending.shift()?.() };
}

function setup(compress: Compressor | null = syncDeflate, minBytes = 1000) {
  const clock = new ManualClock();
  const written: (string | Uint8Array)[] = [];
  let accept = true;
  let failures = 0;
  const sender = new FrameSender(clock, new CompressionPolicy({ minBytes }), compress ?? undefined, {
    send: (data) => {
      if (accept) written.push(data);
      return accept;
    },
    drop: () => failures++,
  });
  /** The compressed frames as [JSON bytes, wire bytes], from the sender's own figures. */
  const compressed = (): [number, number][] => {
    const s = sender.stats();
    return s.compressedFrames === 0 ? [] : [[s.compressedJsonBytes, s.compressedWireBytes]];
  };
  sender.setCodec('deflate-raw');
  const send = (text: string) => sender.send(text, Buffer.byteLength(text));
  const texts = () => written.map((d) => (typeof d === 'string' ? d : inflateRawSync(d).toString('utf8')));
  return {
    sender,
    send,
    written,
    compressed,
    texts,
    refuse: () => {
      accept = false;
    },
    failures: () => failures,
  };
}

describe('FrameSender', () => {
  describe('compression', () => {
    it('sends a frame from the threshold up as raw DEFLATE and reports both sizes', () => {
      const { send, written, compressed } = setup();
      const text = big('a');
      send(text);
      const data = written[0] as Uint8Array;
      expect(data).toBeInstanceOf(Uint8Array);
      expect(inflateRawSync(data).toString('utf8')).toBe(text);
      expect(compressed()).toEqual([[Buffer.byteLength(text), data.byteLength]]);
    });

    it('sends a frame under the threshold as text', () => {
      const { send, written, compressed } = setup();
      send(small('a'));
      expect(written).toEqual([small('a')]);
      expect(compressed()).toEqual([]);
    });

    it('sends text until the server chose deflate-raw', () => {
      const { sender, send, written } = setup();
      sender.setCodec('json');
      send(big('a'));
      expect(typeof written[0]).toBe('string');
    });

    it('sends text while disabled and compresses again once enabled', () => {
      const { sender, send, written } = setup();
      sender.setEnabled(false);
      send(big('a'));
      sender.setEnabled(true);
      send(big('b'));
      expect(written.map((d) => typeof d)).toEqual(['string', 'object']);
    });

    it('sends text when there is no compressor', () => {
      const { send, written } = setup(null);
      send(big('a'));
      expect(typeof written[0]).toBe('string');
    });

    it('falls back to text when the compressor throws or rejects', async () => {
      const { send, texts, written } = setup(() => {
        throw new Error('no zlib');
      });
      send(big('a'));
      expect(written).toEqual([big('a')]);
      const rejecting = setup(() => Promise.reject(new Error('stream failed')));
      rejecting.send(big('b'));
      await settle();
      expect(rejecting.written).toEqual([big('b')]);
      expect(texts()).toEqual([big('a')]);
    });

    it('sends text when compressing did not make the frame smaller', () => {
      const { send, written, compressed } = setup((b) => new Uint8Array(b.byteLength + 5));
      send(big('a'));
      expect(written).toEqual([big('a')]);
      expect(compressed()).toEqual([]);
    });
  });

  describe('statistics', () => {
    it('counts text frames at their JSON size and compressed ones at their wire size', () => {
      const { sender, send, written } = setup();
      send(small('a'));
      send(big('b'));
      const wire = (written[1] as Uint8Array).byteLength;
      expect(sender.stats()).toEqual({
        bytesSent: Buffer.byteLength(small('a')) + wire,
        compressedFrames: 1,
        compressedJsonBytes: Buffer.byteLength(big('b')),
        compressedWireBytes: wire,
        compressionRatio: wire / Buffer.byteLength(big('b')),
      });
      sender.resetStats();
      expect(sender.stats()).toMatchObject({ bytesSent: 0, compressedFrames: 0, compressionRatio: 1 });
    });
  });

  describe('order', () => {
    it('holds later frames, text ones too, until an async compression before them is done', async () => {
      const d = deferredCompressor();
      const { send, texts, sender } = setup(d.compress);
      send(big('1'));
      send(small('2'));
      send(big('3'));
      send(small('4'));
      await settle();
      expect(texts()).toEqual([]);
      expect(sender.waiting).toBe(true);
      d.release();
      await settle();
      expect(texts()).toEqual([big('1'), small('2')]);
      d.release();
      await settle();
      expect(texts()).toEqual([big('1'), small('2'), big('3'), small('4')]);
      expect(sender.waiting).toBe(false);
      send(small('5'));
      expect(texts()).toHaveLength(5);
    });

    it('writes in order when a later compression finishes first', async () => {
      const pending: (() => void)[] = [];
      const compress: Compressor = (b) => new Promise((r) => pending.push(() => r(deflateRawSync(b))));
      const { send, texts } = setup(compress);
      send(big('1'));
      send(big('2'));
      pending[1]?.();
      await settle();
      expect(texts()).toEqual([]);
      pending[0]?.();
      await settle();
      expect(texts()).toEqual([big('1'), big('2')]);
    });

    it('voids frames still waiting when the connection is reset', async () => {
      const d = deferredCompressor();
      const { send, texts, sender } = setup(d.compress);
      send(big('old'));
      send(small('old'));
      sender.reset();
      send(small('new'));
      expect(texts()).toEqual([small('new')]);
      d.release();
      await settle();
      expect(texts()).toEqual([small('new')]);
    });

    it('forgets the codec on reset: the next connection negotiates again', () => {
      const { send, sender, written } = setup();
      sender.reset();
      send(big('a'));
      expect(typeof written[0]).toBe('string');
    });
  });

  it('reports a refused write', () => {
    const { send, refuse, failures } = setup();
    refuse();
    send(small('a'));
    expect(failures()).toBe(1);
  });
});
