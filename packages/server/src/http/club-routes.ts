import {
  type ClubList,
  type ClubOccupancyList,
  DeskClubRequest,
  DeskId,
  type DeskInfo,
  type Occupancy,
  OccupancyQuery,
} from '@av-gym/protocol';
import type { FastifyInstance } from 'fastify';
import { defaultClubId } from '../store/club-queries.js';
import { DeskLimitError } from '../store/club-store.js';
import type { Store } from '../store/store.js';
import { parseOr400, sendError } from './errors.js';

export interface ClubRouteDeps {
  store: Store;
  now(): number;
}

/**
 * Issue 17, for any signed-in staff: `GET /api/clubs`, `GET /api/clubs/occupancy` (every club:
 * head office), `GET`/`PUT /api/desks/:deskId` (a desk's club, chosen at desk set-up and checked
 * against the clubs) and `GET /api/occupancy` (the chain, or one club with `?clubId=`).
 */
export function registerClubRoutes(app: FastifyInstance, deps: ClubRouteDeps): void {
  const { store } = deps;

  app.get('/api/clubs', async () => {
    const clubs = await store.clubs.list();
    return { clubs, defaultClubId: defaultClubId(clubs) } satisfies ClubList;
  });

  app.get('/api/clubs/occupancy', async () => {
    return { clubs: await store.clubs.occupancyByClub(deps.now()) } satisfies ClubOccupancyList;
  });

  app.get<{ Params: { deskId: string } }>('/api/desks/:deskId', async (request, reply) => {
    const deskId = parseOr400(reply, DeskId, request.params.deskId, 'desk id');
    if (deskId === undefined) return reply;
    return (await store.clubs.deskClub(deskId)) satisfies DeskInfo;
  });

  app.put<{ Params: { deskId: string } }>('/api/desks/:deskId', async (request, reply) => {
    const deskId = parseOr400(reply, DeskId, request.params.deskId, 'desk id');
    if (deskId === undefined) return reply;
    const body = parseOr400(reply, DeskClubRequest, request.body, 'desk');
    if (!body) return reply;
    let desk: DeskInfo | undefined;
    try {
      desk = await store.clubs.setDeskClub(deskId, body.clubId, deps.now());
    } catch (error) {
      if (error instanceof DeskLimitError) return sendError(reply, 409, 'DESK_LIMIT', error.message);
      throw error;
    }
    if (!desk) return sendError(reply, 404, 'CLUB_NOT_FOUND', `no club has id ${body.clubId}`);
    return desk satisfies DeskInfo;
  });

  app.get('/api/occupancy', async (request, reply) => {
    const query = parseOr400(reply, OccupancyQuery, request.query, 'query');
    if (!query) return reply;
    if (query.clubId === undefined) return (await store.occupancy(deps.now())) satisfies Occupancy;
    const one = await store.clubs.occupancyOf(query.clubId, deps.now());
    if (!one) return sendError(reply, 404, 'CLUB_NOT_FOUND', `no club has id ${query.clubId}`);
    return one satisfies Occupancy;
  });
}
