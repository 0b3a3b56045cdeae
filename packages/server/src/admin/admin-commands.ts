import { generatePassword, hashPassword } from '../http/password.js';
import type { Store } from '../store/store.js';

/** Where a command writes and where it reads a password from (`--password-stdin`). */
export interface AdminIo {
  out(line: string): void;
  readStdin(): Promise<string>;
  now(): number;
}

/** A bad command line or a refusal: the message says what to change; nothing was written. */
export class AdminCommandError extends Error {}

export const ADMIN_USAGE = `usage: npm run admin -- <command>
  list                                   every staff account and whether it is active
  create <username> [--password-stdin]  a new staff account (a generated password is printed once)
  reset-password <username> [--password-stdin]
                                         a new password (generated unless given on stdin); the account
                                         becomes active again and its sessions end
  disable <username>                     the account can no longer sign in; its sessions end`;

const USERNAME = /^[A-Za-z0-9._-]{2,64}$/;
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 200;

async function passwordFrom(
  args: readonly string[],
  io: AdminIo,
): Promise<{ password: string; generated: boolean }> {
  if (!args.includes('--password-stdin')) return { password: generatePassword(), generated: true };
  const password = (await io.readStdin()).replace(/\r?\n$/, '');
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD)
    throw new AdminCommandError(`the password on stdin must be ${MIN_PASSWORD}-${MAX_PASSWORD} characters`);
  return { password, generated: false };
}

function username(args: readonly string[]): string {
  const name = args.find((a) => !a.startsWith('--'));
  if (!name) throw new AdminCommandError(`name the account\n${ADMIN_USAGE}`);
  if (!USERNAME.test(name))
    throw new AdminCommandError('a username is 2-64 letters, digits, dots, dashes or underscores');
  return name;
}

/**
 * Runs one staff-account command against an opened store (`npm run admin -- <command>`), e.g.
 * to reset the first admin's password: `npm run admin -- reset-password admin`.
 */
export async function runAdminCommand(store: Store, argv: readonly string[], io: AdminIo): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'list': {
      const staff = await store.listStaff();
      if (staff.length === 0) io.out('no staff accounts yet (the server creates admin on its first start)');
      for (const s of staff) io.out(`${s.username}\t${s.disabledAt === undefined ? 'active' : 'disabled'}`);
      return;
    }
    case 'create': {
      const name = username(args);
      if (await store.getStaff(name))
        throw new AdminCommandError(`${name} already exists; use reset-password`);
      const { password, generated } = await passwordFrom(args, io);
      const created = await store.ensureStaff({
        username: name,
        passwordHash: await hashPassword(password),
        createdAt: io.now(),
      });
      if (!created) throw new AdminCommandError(`${name} already exists; use reset-password`);
      io.out(generated ? `created ${name} with password: ${password} (shown only now)` : `created ${name}`);
      return;
    }
    case 'reset-password': {
      const name = username(args);
      if (!(await store.getStaff(name))) throw new AdminCommandError(`no staff account is named ${name}`);
      const { password, generated } = await passwordFrom(args, io);
      const ended = await store.setStaffPassword(name, await hashPassword(password));
      if (ended === undefined) throw new AdminCommandError(`no staff account is named ${name}`);
      io.out(
        `${generated ? `new password for ${name}: ${password} (shown only now)` : `password of ${name} changed`}; ${ended.length} session(s) ended`,
      );
      return;
    }
    case 'disable': {
      const name = username(args);
      const ended = await store.disableStaff(name, io.now());
      if (ended === undefined) throw new AdminCommandError(`no staff account is named ${name}`);
      io.out(`${name} disabled; ${ended.length} session(s) ended`);
      return;
    }
    default:
      throw new AdminCommandError(command ? `unknown command ${command}\n${ADMIN_USAGE}` : ADMIN_USAGE);
  }
}
