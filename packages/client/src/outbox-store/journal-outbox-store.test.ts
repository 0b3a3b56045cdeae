import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { action, outboxStoreContract } from '../testing/outbox-store-contract.js';
import { JournalOutboxStore } from './journal-outbox-store.js';

const dirs: string[] = [];
async function tempPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'av-gym-journal-'));
  dirs.push(dir);
  return join(dir, 'sub', 'desk.outbox');
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

outboxStoreContract('journal file', async () => {
  const path = await tempPath();
  return {
    open: async () => new JournalOutboxStore({ path, compactAfterRecords: 50 }),
    // a write cut short by a crash: half a line, no newline
    tear: async () => appendFile(path, '{"put":{"id":"01JTORN","type":"check_in","da'),
  };
});

describe('JournalOutboxStore', () => {
  it('rewrites the file with live actions only once deletes pile up', async () => {
    const path = await tempPath();
    const store = new JournalOutboxStore({ path, compactAfterRecords: 20 });
    await store.load();
    const a = Array.from({ length: 60 }, () => action());
    await store.put(a);
    for (const x of a.slice(0, 55)) await store.delete([x.id]);
    await store.close();
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.length > 0);
    expect(lines.length).toBeLessThanOrEqual(5 + 20 + 1);
    const again = new JournalOutboxStore({ path });
    expect((await again.load()).map((x) => x.id)).toEqual(a.slice(55).map((x) => x.id));
    await again.close();
  });

  it('refuses a journal corrupt before its last line, and leaves the file as it was', async () => {
    const path = await tempPath();
    const s1 = new JournalOutboxStore({ path });
    await s1.load();
    await s1.put([action()]);
    await s1.close();
    const good = await readFile(path, 'utf8');
    const bad = `not json\n${good}`;
    await writeFile(path, bad);
    await expect(new JournalOutboxStore({ path }).load()).rejects.toMatchObject({ code: 'OUTBOX_STORE' });
    expect(await readFile(path, 'utf8')).toBe(bad);
  });

  it('groups puts made while a write is in progress into few fsyncs', async () => {
    const path = await tempPath();
    const store = new JournalOutboxStore({ path });
    await store.load();
    const a = Array.from({ length: 500 }, () => action());
    await Promise.all(a.map((x) => store.put([x])));
    await store.close();
    expect((await new JournalOutboxStore({ path }).load()).length).toBe(500);
  });

  it('refuses a second store on a journal in use, and takes over the lock of a process that is gone', async () => {
    const path = await tempPath();
    const first = new JournalOutboxStore({ path });
    await first.load();
    await expect(new JournalOutboxStore({ path }).load()).rejects.toThrow(/in use by process/);
    await first.close();
    // what a SIGKILLed desk leaves: its pid in the lock file, the process long gone
    await writeFile(`${path}.lock`, '2147483646');
    const next = new JournalOutboxStore({ path });
    expect(await next.load()).toEqual([]);
    await next.close();
  });

  it('rejects an empty path', () => {
    expect(() => new JournalOutboxStore({ path: '' })).toThrow(/path/);
  });
});
