/**
 * `npm run admin -- <command>`: staff accounts from the command line, against the store the
 * server's own environment names (DATABASE_URL, else the SQLite file in DATA_DIR). Like main.ts
 * it reads `process.env`; it is the second entry point, for operators, and starts no server.
 */
import path from 'node:path';
import { pino } from 'pino';
import { ADMIN_USAGE, AdminCommandError, runAdminCommand } from './admin/admin-commands.js';
import { ConfigError, parseConfig } from './config.js';
import { DATABASE_FILE } from './create-server.js';
import { createPostgresStore } from './store/postgres/create-postgres-store.js';
import { createSqliteStore } from './store/sqlite/create-sqlite-store.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > 4_096) throw new AdminCommandError('stdin holds more than a password');
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === '--help') {
    console.log(ADMIN_USAGE);
    return;
  }
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`av-gym admin: configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({ level: 'warn' });
  const store = config.databaseUrl
    ? createPostgresStore({ connectionString: config.databaseUrl, logger, capacity: config.gymCapacity })
    : createSqliteStore({
        file: path.join(config.dataDir, DATABASE_FILE),
        logger,
        capacity: config.gymCapacity,
      });
  try {
    await store.init({ seedDemo: false });
    await runAdminCommand(store, argv, {
      out: (line) => console.log(line),
      readStdin,
      now: () => Date.now(),
    });
  } catch (error) {
    console.error(`av-gym admin: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

void main();
