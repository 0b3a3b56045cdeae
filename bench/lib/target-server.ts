import { join } from 'node:path';
import type { BenchContext } from './context.js';
import { peerMemberIds } from './peer-store.js';
import { progress } from './progress.js';
import { avGymMemberIds, BENCH_TOKEN, type RunningServer, startAvGym, startPeer } from './servers.js';

/** The server families a scenario runs against. */
export type ServerFamily = 'av-gym' | 'raw-ws' | 'socket.io';

export interface TargetServer extends RunningServer {
  family: ServerFamily;
  memberIds: string[];
  token: string;
  /** Its data folder (a restart on the same data reopens it). */
  dir: string;
}

const PEER_MEMBERS = 500;

/**
 * Starts the server of `family` on a fresh data folder and learns its member ids; av-gym is
 * profiled (`--cpu-prof`, into `<profileDir>/<label>`) when the context asks.
 */
export async function startTarget(
  ctx: BenchContext,
  family: ServerFamily,
  label: string,
  env?: Record<string, string>,
): Promise<TargetServer> {
  const dir = ctx.freshDir(`${label}-${family}`);
  if (family === 'av-gym') {
    const server = await startAvGym(dir, ctx.profileDir ? join(ctx.profileDir, label) : undefined, { env });
    const memberIds = await avGymMemberIds(server.port);
    progress(`  av-gym server up on :${server.port} (pid ${server.pid}, ${memberIds.length} active members)`);
    return { ...server, family, memberIds, token: BENCH_TOKEN, dir };
  }
  const server = await startPeer(family, dir, PEER_MEMBERS, { env });
  return { ...server, family, memberIds: peerMemberIds(PEER_MEMBERS), token: BENCH_TOKEN, dir };
}

/** Starts `server` again on its port and data folder (after it was stopped or killed). */
export function restartTarget(server: TargetServer, env?: Record<string, string>): Promise<RunningServer> {
  if (server.family === 'av-gym') return startAvGym(server.dir, undefined, { port: server.port, env });
  return startPeer(server.family, server.dir, PEER_MEMBERS, { port: server.port, env });
}
