import { PASSWORD_LENGTH, STAFF_ROLES, type StaffRole } from '@av-gym/protocol';
import { generatePassword, hashPassword } from '../http/password.js';
import type { AuditWho } from '../store/audit-records.js';
import type { StaffRefusal } from '../store/staff-admin.js';
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
  list                                   every staff account, whether it is active, and its role
  create <username> [--role desk|manager|admin] [--password-stdin]
                                         a new staff account (role desk unless given; a generated
                                         password is printed once)
  reset-password <username> [--password-stdin]
                                         a new password (generated unless given on stdin); the account
                                         becomes active again and its sessions end
  disable <username>                     the account can no longer sign in; its sessions end
  enable <username>                      a disabled account can sign in again
  set-role <username> <desk|manager|admin>
                                         what the account may do (the last active admin stays admin)`;

/** Audit rows of the command line name \`cli\` as the staff member (whoever runs it has the database). */
const CLI: AuditWho = { staff: 'cli', deskId: null };

const USERNAME = /^[A-Za-z0-9._-]{2,64}$/;
const MIN_PASSWORD = PASSWORD_LENGTH.min;
const MAX_PASSWORD = PASSWORD_LENGTH.max;

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

/** The words arguments, without `--flags` and the value after `--role`. */
function words(args: readonly string[]): string[] {
  return args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--role');
}

function roleArg(value: string | undefined): StaffRole {
  if (value === undefined || !(STAFF_ROLES as readonly string[]).includes(value))
    throw new AdminCommandError(`a role is one of ${STAFF_ROLES.join(', ')}`);
  return value as StaffRole;
}

function refusal(name: string, refused: StaffRefusal): AdminCommandError {
  if (refused === 'last_admin')
    return new AdminCommandError(`${name} is the last active admin: make another account admin first`);
  if (refused === 'exists') return new AdminCommandError(`${name} already exists; use reset-password`);
  return new AdminCommandError(`no staff account is named ${name}`);
}

function username(args: readonly string[]): string {
  const name = words(args)[0];
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
      for (const s of staff)
        io.out(`${s.username}\t${s.disabledAt === undefined ? 'active' : 'disabled'}\t${s.role ?? 'desk'}`);
      return;
    }
    case 'create': {
      const name = username(args);
      if (await store.getStaff(name))
        throw new AdminCommandError(`${name} already exists; use reset-password`);
      const at = args.indexOf('--role');
      const role = at === -1 ? 'desk' : roleArg(args[at + 1]);
      const { password, generated } = await passwordFrom(args, io);
      const now = io.now();
      const created = await store.staffAdmin.create(
        { username: name, passwordHash: await hashPassword(password), createdAt: now, role },
        CLI,
        now,
      );
      if (typeof created === 'string') throw refusal(name, created);
      io.out(
        generated
          ? `created ${name} (${role}) with password: ${password} (shown only now)`
          : `created ${name} (${role})`,
      );
      return;
    }
    case 'reset-password': {
      const name = username(args);
      if (!(await store.getStaff(name))) throw new AdminCommandError(`no staff account is named ${name}`);
      const { password, generated } = await passwordFrom(args, io);
      const out = await store.staffAdmin.setPassword(name, await hashPassword(password), CLI, io.now());
      if (typeof out === 'string') throw refusal(name, out);
      io.out(
        `${generated ? `new password for ${name}: ${password} (shown only now)` : `password of ${name} changed`}; ${out.ended.length} session(s) ended`,
      );
      return;
    }
    case 'disable': {
      const name = username(args);
      const out = await store.staffAdmin.update(name, { active: false }, CLI, io.now());
      if (typeof out === 'string') throw refusal(name, out);
      io.out(`${name} disabled; ${out.ended.length} session(s) ended`);
      return;
    }
    case 'enable': {
      const name = username(args);
      const out = await store.staffAdmin.update(name, { active: true }, CLI, io.now());
      if (typeof out === 'string') throw refusal(name, out);
      io.out(`${name} enabled`);
      return;
    }
    case 'set-role': {
      const name = username(args);
      const role = roleArg(words(args)[1]);
      const out = await store.staffAdmin.update(name, { role }, CLI, io.now());
      if (typeof out === 'string') throw refusal(name, out);
      io.out(`${name} is now ${role}`);
      return;
    }
    default:
      throw new AdminCommandError(command ? `unknown command ${command}\n${ADMIN_USAGE}` : ADMIN_USAGE);
  }
}
