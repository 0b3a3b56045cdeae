import type { Club } from '@av-gym/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { Api } from '../../lib/api.js';

const CACHE_KEY = 'av-gym.deskClub';

/** The chain's clubs and this desk's club, as the desk knows them. */
export interface DeskClub {
  clubs: Club[];
  /** This desk's club id (the default club until the desk is set up); undefined while loading. */
  clubId: string | undefined;
  /** Sets this desk's club on the server (checked against the clubs there). */
  setClub(clubId: string): Promise<void>;
  /** The last failure, in words. */
  error: string | undefined;
}

function cached(): { clubs: Club[]; clubId: string } | undefined {
  try {
    const raw = JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null') as {
      clubs?: Club[];
      clubId?: string;
    } | null;
    if (Array.isArray(raw?.clubs) && typeof raw.clubId === 'string')
      return { clubs: raw.clubs, clubId: raw.clubId };
  } catch {
    // not ours: no cache
  }
  return undefined;
}

/** Loads the clubs and the desk's club (`GET /api/clubs`, `GET /api/desks/:deskName`); kept for offline reloads. */
export function useDeskClub(api: Api, deskName: string): DeskClub {
  const [initial] = useState(cached);
  const [clubs, setClubs] = useState<Club[]>(initial?.clubs ?? []);
  const [clubId, setClubId] = useState<string | undefined>(initial?.clubId);
  const [error, setError] = useState<string | undefined>();

  const remember = useCallback((list: Club[], id: string) => {
    setClubs(list);
    setClubId(id);
    try {
      localStorage.setItem(CACHE_KEY, JSON.stringify({ clubs: list, clubId: id }));
    } catch {
      // storage refused: still shown
    }
  }, []);

  useEffect(() => {
    let live = true;
    Promise.all([api.clubList(), api.deskClub(deskName)])
      .then(([list, desk]) => {
        if (live) remember(list.clubs, desk.clubId);
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof Error ? e.message : String(e));
      });
    return () => {
      live = false;
    };
  }, [api, deskName, remember]);

  const setClub = useCallback(
    async (id: string) => {
      try {
        const desk = await api.setDeskClub(deskName, id);
        remember(clubs, desk.clubId);
        setError(undefined);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [api, deskName, clubs, remember],
  );

  return { clubs, clubId, setClub, error };
}

/** A club's name by id (the id itself for a club this desk does not know). */
export function clubName(clubs: readonly Club[], id: string | undefined): string {
  if (id === undefined) return '';
  return clubs.find((c) => c.id === id)?.name ?? id;
}
