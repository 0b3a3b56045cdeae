import type { ServerEvent } from '@av-gym/protocol';
import { describe, expect, it } from 'vitest';
import { changeSubscriptions, expandTopics, subscribedTo } from './topic-match.js';

const visit = (clubId?: string): ServerEvent =>
  ({
    type: 'event',
    seq: 1,
    topic: 'check_ins',
    name: 'check_in.created',
    data: {
      visitId: 'v',
      memberId: 'm',
      memberName: 'M',
      deskId: null,
      at: 1,
      ...(clubId ? { clubId } : {}),
    },
  }) as ServerEvent;
const occupancy = (clubs?: string[]): ServerEvent =>
  ({
    type: 'event',
    seq: 2,
    topic: 'occupancy',
    name: 'occupancy.changed',
    data: {
      current: 1,
      capacity: 10,
      todayTotal: 1,
      ...(clubs
        ? { clubs: clubs.map((clubId) => ({ clubId, current: 1, capacity: 5, todayTotal: 1 })) }
        : {}),
    },
  }) as ServerEvent;

describe('topic-match', () => {
  describe('expandTopics', () => {
    it('reads * as the chain-wide topics, keeps per-club names and leaves out alerts and unknown names', () => {
      expect([...expandTopics(['*'])].sort()).toEqual(['check_ins', 'members', 'occupancy']);
      expect([
        ...expandTopics(['check_ins:north', 'occupancy:*', 'alerts', 'nope', 'members:north']),
      ]).toEqual(['check_ins:north', 'occupancy:*']);
    });
  });

  describe('subscribedTo', () => {
    it('sends a visit to its chain-wide topic, its club and <topic>:*, not to another club', () => {
      expect(subscribedTo(new Set(['check_ins']), visit('north'))).toBe(true);
      expect(subscribedTo(new Set(['check_ins:north']), visit('north'))).toBe(true);
      expect(subscribedTo(new Set(['check_ins:*']), visit('north'))).toBe(true);
      expect(subscribedTo(new Set(['check_ins:river']), visit('north'))).toBe(false);
      expect(subscribedTo(new Set(['occupancy:north']), visit('north'))).toBe(false);
      // an older server's event names no club: only chain-wide readers get it
      expect(subscribedTo(new Set(['check_ins:*']), visit())).toBe(false);
    });

    it('sends occupancy.changed to each club it lists, to occupancy:* and to occupancy', () => {
      expect(subscribedTo(new Set(['occupancy:north']), occupancy(['main', 'north']))).toBe(true);
      expect(subscribedTo(new Set(['occupancy:river']), occupancy(['main', 'north']))).toBe(false);
      expect(subscribedTo(new Set(['occupancy:*']), occupancy(['river']))).toBe(true);
      expect(subscribedTo(new Set(['occupancy:*']), occupancy())).toBe(false);
      expect(subscribedTo(new Set(['occupancy']), occupancy())).toBe(true);
      expect(subscribedTo(new Set(), occupancy(['main']))).toBe(false);
    });
  });

  describe('changeSubscriptions', () => {
    it('adds and removes names, and refuses a subscribe past 32 names', () => {
      const one = changeSubscriptions(new Set(), 'subscribe', ['check_ins:north', 'occupancy']);
      expect([...(one ?? [])]).toEqual(['check_ins:north', 'occupancy']);
      expect([...(changeSubscriptions(one ?? new Set(), 'unsubscribe', ['occupancy']) ?? [])]).toEqual([
        'check_ins:north',
      ]);
      const full = new Set(Array.from({ length: 32 }, (_, i) => `check_ins:c${i}`));
      expect(changeSubscriptions(full, 'subscribe', ['occupancy:c0'])).toBeUndefined();
      expect(changeSubscriptions(full, 'subscribe', ['check_ins:c0'])?.size).toBe(32);
      expect(changeSubscriptions(full, 'unsubscribe', ['check_ins:c0'])?.size).toBe(31);
    });
  });
});
