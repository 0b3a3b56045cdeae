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
): Promise<TargetServer> {
  const dir = ctx.freshDir(`${label}-${family}`);
  if (family === 'av-gym') {
    const server = await startAvGym(dir, ctx.profileDir ? join(ctx.profileDir, label) : undefined);
    const memberIds = await avGymMemberIds(server.port);
    progress(`  av-gym server up on :${server.port} (pid ${server.pid}, ${memberIds.length} active members)`);
    return { ...server, family, memberIds, token: BENCH_TOKEN };
  }
  const server = await startPeer(family, dir, PEER_MEMBERS);
  return { ...server, family, memberIds: peerMemberIds(PEER_MEMBERS), token: BENCH_TOKEN };
}
