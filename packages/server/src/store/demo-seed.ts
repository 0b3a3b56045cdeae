import { PLANS, type Plan } from '@av-gym/protocol';
import { ulid } from 'ulid';
import { buildDemoHistory, DEMO_CLUBS } from './demo-history.js';
import { isoDateUtc, type MemberRecord, type VisitRecord } from './records.js';

/** How many members the demo gym has. */
export const DEMO_MEMBER_COUNT = 300;
/** How many demo members are checked in when the gym is seeded. */
export const DEMO_OPEN_VISITS = 10;

const FIRST_NAMES = (
  'Olivia,Liam,Amara,Noah,Sofia,Mateo,Aisha,Lucas,Mia,Ethan,Zara,Oliver,Priya,Jonas,Chloe,' +
  'Kenji,Emma,Diego,Fatima,Samuel,Hannah,Arjun,Lena,Gabriel,Yuki,Isaac,Nora,Omar,Freya,Leo,' +
  'Ingrid,Tomás,Ava,Kwame,Elif,Daniel,Maya,Rafael,Sienna,Hugo,Chiara,Marcus,Leila,Felix,Grace,' +
  'Mohammed,Ruby,Aleksander,Nia,Theo,Beatriz,Ivan,Sara,Kai,Julia,Amir,Eva,Connor,Mei,Finn'
).split(',');
const LAST_NAMES = (
  'Smith,García,Okafor,Nguyen,Müller,Rossi,Kowalski,Patel,Johnson,Silva,Kim,Andersson,Dubois,' +
  'Hernández,Yilmaz,Tanaka,O’Brien,Mensah,Novak,Brown,Fernandes,Ivanova,Schmidt,Haddad,Chen,' +
  'Walker,Moreau,Nakamura,Lindqvist,Adeyemi,Costa,Jensen,Kaur,Romano,Petrov,Murphy,Sato,' +
  'Hughes,Bianchi,Khan,Van Dijk,Larsen,Ortiz,Popescu,Wright,Abebe,Santos,Fischer,Li,Taylor'
).split(',');
/** Notes a desk is shown at every check-in (a few demo members carry one). */
const ALERT_NOTES = [
  'Ask for the locker key back',
  'Card reported lost: check photo ID',
  'Medical: keep off the climbing wall',
];

const NOTES = [
  'Prefers morning sessions',
  'Personal training on Tuesdays',
  'Locker 42',
  'Recovering from knee surgery: no high-impact classes',
  'Corporate plan via employer',
  'Asked about the sauna schedule',
];
const PLAN_WEIGHTS: readonly [Plan, number][] = [
  ['standard', 40],
  ['basic', 20],
  ['premium', 15],
  ['student', 15],
  ['off-peak', 10],
];
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** mulberry32: a small seeded PRNG, so the demo gym is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function weighted<T>(random: () => number, list: readonly [T, number][]): T {
  const total = list.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [value, w] of list) {
    r -= w;
    if (r < 0) return value;
  }
  return list[list.length - 1]![0];
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Home clubs of the demo members: most at Central, fewer at the smaller clubs. */
const HOME_CLUB_WEIGHTS: readonly [string, number][] = [
  ['main', 45],
  ['north', 30],
  ['river', 25],
];

export interface DemoGymOptions {
  /** Days of demo history (closed visits) instead of a week of scattered ones; 0 or absent: none. */
  historyDays?: number;
}

export interface DemoGym {
  members: MemberRecord[];
  visits: VisitRecord[];
  /** The highest membership number handed out (the generator for new members continues after it). */
  lastMembershipNumber: number;
}

/**
 * Builds the demo gym deterministically from `seed`, relative to `now`: about 80% active
 * members (a few expiring within 7 days), the rest expired or frozen; a week of closed visits
 * and {@link DEMO_OPEN_VISITS} members checked in right now.
 */
export function buildDemoGym(now: number, seed = 42, options: DemoGymOptions = {}): DemoGym {
  const random = seededRandom(seed);
  const members: MemberRecord[] = [];
  let number = 100_000;
  for (let i = 0; i < DEMO_MEMBER_COUNT; i++) {
    number += 1 + Math.floor(random() * 7);
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    const roll = random();
    const status = roll < 0.8 ? 'active' : roll < 0.92 ? 'expired' : 'frozen';
    const days =
      status === 'expired'
        ? -(1 + Math.floor(random() * 200))
        : status === 'active' && random() < 0.05
          ? 1 + Math.floor(random() * 7)
          : 8 + Math.floor(random() * 360);
    const createdAt = now - (30 + Math.floor(random() * 900)) * DAY_MS;
    const hasPhone = random() < 0.85;
    members.push({
      id: `m_${ulid(createdAt, random)}`,
      membershipNumber: String(number),
      name: `${first} ${last}`,
      email: random() < 0.9 ? `${asciiSlug(first)}.${asciiSlug(last)}${i}@example.com` : null,
      phone: hasPhone ? `+44 7700 9${String(Math.floor(random() * 100_000)).padStart(5, '0')}` : null,
      plan: weighted(
        random,
        PLAN_WEIGHTS.filter(([p]) => (PLANS as readonly string[]).includes(p)),
      ),
      status,
      expiresAt: isoDateUtc(now + days * DAY_MS),
      notes: random() < 0.15 ? pick(random, NOTES) : '',
      version: 1,
      createdAt,
      updatedAt: createdAt,
      lastVisitAt: null,
    });
  }
  // Clubs are drawn after the rest, so the members above are those of the one-club demo gym.
  for (const m of members) {
    m.homeClubId = weighted(random, HOME_CLUB_WEIGHTS);
    // Central sells home-only memberships (60 %); Northside and Riverside sell all-club ones, so
    // every member may use the default club (desks never set up, the bench's and the e2e desks).
    const homeOnly = random() < 0.6;
    m.accessRule = homeOnly && m.homeClubId === 'main' ? 'home' : 'all';
  }
  // Check-in alert fields (issue 13) from a stream of their own, so the members above stay the
  // same: most signed a waiver when they joined, a few owe money, a few carry a note for the desk.
  const alertRandom = seededRandom(seed + 2);
  for (const m of members) {
    m.dateOfBirth = isoDateUtc(now - (16 * 365 + Math.floor(alertRandom() * 55 * 365)) * DAY_MS);
    m.waiverSignedAt = alertRandom() < 0.94 ? isoDateUtc(m.createdAt) : null;
    m.balanceDueCents = alertRandom() < 0.05 ? 500 * (1 + Math.floor(alertRandom() * 12)) : 0;
    m.alertNote = alertRandom() < 0.02 ? pick(alertRandom, ALERT_NOTES) : '';
  }
  const history = options.historyDays
    ? buildDemoHistory({
        now,
        members,
        clubs: DEMO_CLUBS,
        days: options.historyDays,
        random: seededRandom(seed + 1),
      })
    : undefined;
  const visits = buildVisits(now, members, random, history);
  return { members, visits, lastMembershipNumber: number };
}

function isUsable(m: MemberRecord, now: number): boolean {
  return m.status === 'active' && m.expiresAt >= isoDateUtc(now);
}

function buildVisits(
  now: number,
  members: MemberRecord[],
  random: () => number,
  history: VisitRecord[] | undefined,
): VisitRecord[] {
  const usable = members.filter((m) => isUsable(m, now));
  const visits: VisitRecord[] = [];
  const openMembers = new Set<string>();
  while (openMembers.size < Math.min(DEMO_OPEN_VISITS, usable.length)) {
    openMembers.add(pick(random, usable).id);
  }
  for (const m of history ? [] : usable) {
    const count = Math.floor(random() * 4);
    for (let k = 0; k < count; k++) {
      // Closed visits over the last week, all ended at least three hours ago.
      const stayMs = (25 + Math.floor(random() * 95)) * MINUTE_MS;
      const checkedOutAt = now - 3 * 60 * MINUTE_MS - Math.floor(random() * 6.5 * DAY_MS);
      const checkedInAt = checkedOutAt - stayMs;
      visits.push({
        id: `v_${ulid(checkedInAt, random)}`,
        memberId: m.id,
        deskId: 'desk-1',
        checkedInAt,
        checkedOutAt,
        clubId: m.homeClubId ?? 'main',
      });
    }
  }
  if (history) visits.push(...history);
  const homeOf = new Map(members.map((m) => [m.id, m.homeClubId ?? 'main']));
  for (const id of openMembers) {
    const checkedInAt = now - (5 + Math.floor(random() * 100)) * MINUTE_MS;
    visits.push({
      id: `v_${ulid(checkedInAt, random)}`,
      memberId: id,
      deskId: 'desk-1',
      checkedInAt,
      checkedOutAt: null,
      clubId: homeOf.get(id) ?? 'main',
    });
  }
  const byId = new Map(members.map((m) => [m.id, m]));
  for (const v of visits) {
    const m = byId.get(v.memberId)!;
    if (m.lastVisitAt === null || v.checkedInAt > m.lastVisitAt) m.lastVisitAt = v.checkedInAt;
  }
  visits.sort((a, b) => a.checkedInAt - b.checkedInAt);
  return visits;
}
