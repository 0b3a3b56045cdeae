import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES } from '../messages/index.js';
import { HTTP_ERROR_CODES, HttpErrorBody } from './errors.js';
import { NODE_METRICS } from './history.js';
import { MembersQuery } from './members.js';
import { FLEET_PAGE, StatsQuery } from './stats.js';
import { Occupancy, VisitsQuery } from './visits.js';

describe('HTTP schemas', () => {
  it('names a messages/s history metric for every message type (a new type is charted too)', () => {
    for (const type of MESSAGE_TYPES) expect(NODE_METRICS).toContain(`messages_per_sec:${type}`);
  });

  describe('queries', () => {
    it('read query strings as the server does: coerced numbers, flags, defaults', () => {
      expect(MembersQuery.parse({})).toEqual({ limit: 50 });
      expect(MembersQuery.parse({ q: '  ada ', limit: '5' })).toEqual({ q: 'ada', limit: 5 });
      expect(VisitsQuery.parse({ open: '1', since: '10' })).toEqual({ open: true, since: 10, limit: 100 });
      expect(VisitsQuery.parse({ open: 'false' }).open).toBe(false);
      expect(StatsQuery.parse({})).toEqual({ limit: FLEET_PAGE.defaultLimit, offset: 0 });
    });

    it('refuse unknown parameters and values out of range', () => {
      expect(MembersQuery.safeParse({ bogus: '1' }).success).toBe(false);
      expect(VisitsQuery.safeParse({ open: 'maybe' }).success).toBe(false);
      expect(StatsQuery.safeParse({ limit: String(FLEET_PAGE.maxLimit + 1) }).success).toBe(false);
    });
  });

  describe('answers', () => {
    it('refuse a body with a field missing or of the wrong type', () => {
      expect(Occupancy.safeParse({ current: 1, capacity: 10, todayTotal: 2 }).success).toBe(false);
      expect(
        Occupancy.safeParse({ current: 1, capacity: 10, todayTotal: 2, averageStayMinutes: 1.5 }).success,
      ).toBe(true);
      expect(HttpErrorBody.safeParse({ error: 'NOT_FOUND' }).success).toBe(false);
    });

    it('give every error code a 4xx status', () => {
      for (const { status } of Object.values(HTTP_ERROR_CODES)) expect(status).toBeGreaterThanOrEqual(400);
    });
  });
});
