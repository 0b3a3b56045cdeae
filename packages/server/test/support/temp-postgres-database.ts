import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TempPostgresDatabase {
  /** Connection string of the new database. */
  url: string;
  name: string;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

/** The connection string of `adminUrl` pointed at another database. */
export function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Creates a uniquely named database through `adminUrl` (tests and the cluster script):
 * `const db = await createTempDatabase(process.env.DATABASE_URL!); ...; await db.drop();`
 */
export async function createTempDatabase(
  adminUrl: string,
  prefix = 'avgym_test',
): Promise<TempPostgresDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name}`);
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}
