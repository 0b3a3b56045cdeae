import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, TEST_NOW, type TempStore } from '../../test/support/temp-sqlite-store.js';
import { verifyPassword } from '../http/password.js';
import { AdminCommandError, runAdminCommand } from './admin-commands.js';

describe('runAdminCommand', () => {
  let temp: TempStore;
  let lines: string[];
  let stdin: string;
  const io = {
    out: (line: string) => lines.push(line),
    readStdin: async () => stdin,
    now: () => TEST_NOW,
  };
  const run = (...argv: string[]) => runAdminCommand(temp.store, argv, io);

  beforeEach(async () => {
    temp = await openTempStore();
    lines = [];
    stdin = '';
    await temp.store.ensureStaff({ username: 'admin', passwordHash: 'scrypt$1$00$00', createdAt: TEST_NOW });
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  describe('reset-password', () => {
    it('prints a generated password once, which then verifies, and ends the sessions', async () => {
      await temp.store.createSession({
        tokenHash: 'a'.repeat(64),
        username: 'admin',
        createdAt: TEST_NOW,
        expiresAt: TEST_NOW + 60_000,
      });
      await run('reset-password', 'admin');
      const match = /^new password for admin: (\S+) \(shown only now\); 1 session\(s\) ended$/.exec(
        lines[0] ?? '',
      );
      expect(match).not.toBeNull();
      const staff = await temp.store.getStaff('admin');
      expect(await verifyPassword(match![1]!, staff!.passwordHash)).toBe(true);
      expect(await temp.store.getSession('a'.repeat(64))).toBeUndefined();
    });

    it('takes the password from stdin with --password-stdin and prints none', async () => {
      stdin = 'correct horse battery\n';
      await run('reset-password', 'admin', '--password-stdin');
      expect(lines).toEqual(['password of admin changed; 0 session(s) ended']);
      const staff = await temp.store.getStaff('admin');
      expect(await verifyPassword('correct horse battery', staff!.passwordHash)).toBe(true);
    });

    it('refuses a short password and an unknown account, changing nothing', async () => {
      stdin = 'short';
      await expect(run('reset-password', 'admin', '--password-stdin')).rejects.toThrow(/10-200 characters/);
      await expect(run('reset-password', 'nobody')).rejects.toThrow(/no staff account is named nobody/);
      expect((await temp.store.getStaff('admin'))?.passwordHash).toBe('scrypt$1$00$00');
    });

    it('makes a disabled account active again', async () => {
      await run('disable', 'admin');
      expect((await temp.store.getStaff('admin'))?.disabledAt).toBe(TEST_NOW);
      await run('reset-password', 'admin');
      expect((await temp.store.getStaff('admin'))?.disabledAt).toBeUndefined();
    });
  });

  it('creates, lists and disables accounts', async () => {
    stdin = 'desk-password-1';
    await run('create', 'sam.desk', '--password-stdin');
    await expect(run('create', 'sam.desk')).rejects.toThrow(/already exists/);
    await run('disable', 'sam.desk');
    lines = [];
    await run('list');
    expect(lines).toEqual(['admin\tactive\tdesk', 'sam.desk\tdisabled\tdesk']);
  });

  it('creates with --role, changes roles, enables, and keeps the last active admin', async () => {
    await run('set-role', 'admin', 'admin');
    await expect(run('set-role', 'admin', 'desk')).rejects.toThrow(/last active admin/);
    await expect(run('disable', 'admin')).rejects.toThrow(/last active admin/);
    stdin = 'manager-password-1';
    await run('create', '--role', 'manager', 'mo', '--password-stdin');
    expect((await temp.store.getStaff('mo'))?.role).toBe('manager');
    await expect(run('create', 'x.y', '--role', 'owner')).rejects.toThrow(
      /a role is one of desk, manager, admin/,
    );
    await run('set-role', 'mo', 'admin');
    await run('set-role', 'admin', 'desk');
    await expect(run('disable', 'mo')).rejects.toThrow(/mo is the last active admin/);
    await run('disable', 'admin');
    await expect(run('disable', 'nobody')).rejects.toThrow(/no staff account is named nobody/);
    await run('enable', 'admin');
    lines = [];
    await run('list');
    expect(lines).toEqual(['admin\tactive\tdesk', 'mo\tactive\tadmin']);
    const audit = await temp.store.queryAudit({ limit: 100 });
    expect(audit.entries.map((e) => e.action).reverse()).toEqual([
      'staff_role_change',
      'staff_create',
      'staff_role_change',
      'staff_role_change',
      'staff_disable',
      'staff_enable',
    ]);
    expect(audit.entries.every((e) => e.staff === 'cli')).toBe(true);
  });

  it('refuses a bad username and an unknown command with the usage', async () => {
    await expect(run('create', 'bad name!')).rejects.toThrow(/2-64 letters/);
    await expect(run('frobnicate')).rejects.toBeInstanceOf(AdminCommandError);
    await expect(run('frobnicate')).rejects.toThrow(/usage: npm run admin/);
  });
});
