import type { ReportsDocument } from '@av-gym/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations, sidewaysScroll } from './axe.js';
import {
  currentEngine,
  type EngineBrowser,
  launchBrowser,
  openDesk,
  screenshotPath,
  signIn,
  Tab,
} from './browser.js';
import { ServerProcess } from './server-process.js';

const engine = currentEngine().name;
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * The CSV texts the page saves: the blob behind each download link, caught before the browser
 * saves it (the page's CSP lets no fetch read a blob: URL, so the Blob itself is kept).
 */
function catchDownloads(): void {
  const w = window as unknown as { __downloads: { name: string; blob: Blob | undefined }[] };
  w.__downloads = [];
  const blobs = new Map<string, Blob>();
  const create = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob | MediaSource) => {
    const url = create(obj);
    if (obj instanceof Blob) blobs.set(url, obj);
    return url;
  };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (this.download && this.href.startsWith('blob:')) {
      w.__downloads.push({ name: this.download, blob: blobs.get(this.href) });
      return;
    }
    click.call(this);
  };
}

describe(`reports [${engine}]`, () => {
  // A year of demo history: the reports have something to show.
  const server = new ServerProcess();
  let browser: EngineBrowser;
  let page: Tab;
  let token: string;
  let query: string;

  beforeAll(async () => {
    await server.start();
    token = await server.token();
    browser = await launchBrowser();
    page = await openDesk(browser, server.url);
    await signIn(page, server.adminPassword);
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('table', { name: /Visits by hour of week/ }).waitFor({ timeout: 30_000 });
    const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    query = `from=${from}&to=${today}&tz=${encodeURIComponent(zone)}`;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  const api = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return res;
  };

  it('renders the heat map with the values of the API, each cell named by day and hour', async () => {
    const doc = (await (await api(`/api/reports?${query}`)).json()) as ReportsDocument;
    expect(doc.visitsByHour.max).toBeGreaterThan(0);
    // The busiest hour of the week and an empty night hour, as a person finds them in the table.
    let busiest = { day: 0, hour: 0, value: -1 };
    doc.visitsByHour.cells.forEach((row, day) => {
      row.forEach((value, hour) => {
        if (value > busiest.value) busiest = { day, hour, value };
      });
    });
    const label = (day: number, hour: number, value: number) =>
      `${DAY_NAMES[day]} ${String(hour).padStart(2, '0')}:00: ${value} visits`;
    const table = page.getByRole('table', { name: /Visits by hour of week/ });
    const cell = table.getByRole('cell', { name: label(busiest.day, busiest.hour, busiest.value) });
    expect(await cell.textContent()).toBe(String(busiest.value));
    const night = doc.visitsByHour.cells[2]?.[3] ?? 0;
    expect(await table.getByRole('cell', { name: label(2, 3, night) }).textContent()).toBe(String(night));
    await page.screenshot({ path: screenshotPath('reports', engine) });
  });

  it('has no serious axe violation, and fits 390 px without sideways scroll', async () => {
    expect(await seriousViolations(page)).toEqual([]);
    const phone = new Tab(browser.name, await browser.newPage({ width: 390, height: 844 }));
    await phone.goto(`${server.url}/#reports`);
    await signIn(phone, server.adminPassword);
    await phone.getByRole('table', { name: /Visits by hour of week/ }).waitFor({ timeout: 30_000 });
    await phone.getByRole('heading', { name: 'New and lapsed members' }).waitFor();
    expect(await sidewaysScroll(phone)).toBeNull();
    await phone.close();
  });

  it('downloads the CSV the API serves, and its numbers are the JSON report', async () => {
    await page.evaluate(catchDownloads);
    await page.getByRole('button', { name: 'Download visits by hour of week (CSV)' }).click();
    const saved = await page.evaluate(async () => {
      const w = window as unknown as { __downloads: { name: string; blob: Blob | undefined }[] };
      const deadline = Date.now() + 10_000;
      while (w.__downloads.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const first = w.__downloads[0];
      return first ? { name: first.name, text: first.blob ? await first.blob.text() : '' } : null;
    });
    expect(saved).not.toBeNull();
    const served = await (await api(`/api/reports/visits-by-hour.csv?${query}`)).text();
    expect(saved?.text).toBe(served);
    expect(saved?.name).toMatch(/^visits-by-hour_chain_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const json = (await (await api(`/api/reports/visits-by-hour?${query}`)).json()) as {
      data: { cells: number[][] };
    };
    const rows = served
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(rows.map((r) => r[0])).toEqual(DAY_NAMES);
    expect(rows.map((r) => r.slice(1).map(Number))).toEqual(json.data.cells);
  });
});
