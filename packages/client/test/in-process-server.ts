import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, parseConfig } from '@av-gym/server';
import { pino } from 'pino';

/** A real server in this process on port 0, with a temp SQLite file and no demo gym. */
export interface InProcessServer {
  httpUrl: string;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startInProcessServer(token: string): Promise<InProcessServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'av-gym-client-int-'));
  const config = {
    ...parseConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      AV_GYM_TOKENS: token,
      LOG_LEVEL: 'silent',
      SEED_DEMO: '0',
    }),
    staticDir: path.join(dataDir, 'no-dashboard'),
  };
  const server = createServer(config, { logger: pino({ level: 'silent' }), shutdownGraceMs: 10 });
  const httpUrl = await server.listen();
  return {
    httpUrl,
    wsUrl: `${httpUrl.replace(/^http/, 'ws')}/ws`,
    close: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
