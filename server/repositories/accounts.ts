// Officer and staff accounts. A username is unique; a role and a region scope say what the account
// may do and where. Passwords arrive here already hashed (server/auth/password.ts).
import type { Kysely } from 'kysely';
import { isRole, type Role } from '../../core/auth/roles.ts';
import type { AccountsTable, Database, DialectName } from '../db/schema.ts';
import { appendAudit, type AuditInput } from './audit-log.ts';
import { revokeWhere, type RevokeReason } from './tokens.ts';
import { normalizeUsername, type AccountView } from '../../core/auth/account-rules.ts';

/** An account as stored: the wire's AccountView, with when it was disabled instead of whether. */
export interface Account extends Omit<AccountView, 'disabled'> {
  disabledAt: string | null;
}

export interface NewAccount {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  scope: string;
  displayName: string;
  createdBy: string | null;
  now: string;
}

export function toAccount(row: Pick<AccountsTable, 'id' | 'username' | 'role' | 'scope' | 'display_name' | 'created_at' | 'disabled_at'>): Account {
  // A role this code does not know (a newer version wrote it) gets the least power there is.
  const role: Role = isRole(row.role) ? row.role : 'pengamat';
  return {
    id: row.id,
    username: row.username,
    role,
    scope: row.scope,
    displayName: row.display_name,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

const COLUMNS = ['id', 'username', 'role', 'scope', 'display_name', 'created_at', 'disabled_at'] as const;

/** Usernames are compared in lower case, so 'Rina' and 'rina' are one account. */
export { normalizeUsername };

export async function createAccount(db: Kysely<Database>, a: NewAccount): Promise<{ ok: true; account: Account } | { ok: false; error: 'username_taken' }> {
  const rows = await db
    .insertInto('accounts')
    .values({
      id: a.id,
      username: a.username,
      password_hash: a.passwordHash,
      role: a.role,
      scope: a.scope,
      display_name: a.displayName,
      created_at: a.now,
      created_by: a.createdBy,
      disabled_at: null,
    })
    .onConflict((oc) => oc.column('username').doNothing())
    .returning(COLUMNS)
    .execute();
  const row = rows[0];
  return row ? { ok: true, account: toAccount(row) } : { ok: false, error: 'username_taken' };
}

export async function findAccountForLogin(db: Kysely<Database>, username: string): Promise<(Account & { passwordHash: string }) | undefined> {
  const row = await db
    .selectFrom('accounts')
    .select([...COLUMNS, 'password_hash'])
    .where('username', '=', normalizeUsername(username))
    .executeTakeFirst();
  return row && { ...toAccount(row), passwordHash: row.password_hash };
}

export async function findAccount(db: Kysely<Database>, id: string): Promise<Account | undefined> {
  const row = await db.selectFrom('accounts').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toAccount(row);
}

/** Accounts scoped to `scope` or anywhere inside it, by username. */
export async function listAccountsWithin(db: Kysely<Database>, scope: string, limit: number, offset: number): Promise<Account[]> {
  const rows = await db
    .selectFrom('accounts')
    .select(COLUMNS)
    .where((eb) => eb.or([eb('scope', '=', scope), eb('scope', 'like', `${scope}.%`)]))
    .orderBy('username')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map(toAccount);
}

export async function countAccounts(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Disables an account and revokes all its device tokens at once; false if already disabled. */
export async function disableAccount(db: Kysely<Database>, id: string, by: string, now: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx.updateTable('accounts').set({ disabled_at: now }).where('id', '=', id).where('disabled_at', 'is', null).returning('id').execute();
    if (rows.length === 0) return false;
    // Tokens already revoked by a logout or a password change are marked too: every phone wipes.
    await revokeWhere(trx, 'account_disabled', by, now).where('account_id', '=', id).execute();
    return true;
  });
}

/** The stored password hash of an account (for checking the current password on a change). */
export async function findPasswordHash(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('accounts').select('password_hash').where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
  return row?.password_hash;
}

/**
 * Sets a new password hash and revokes every device token of the account but `keepTokenId` (the
 * device that changed it), with the audit entry, in one transaction: a phone that knew the old
 * password, or was logged in with it, is out from its next request. Answers how many were revoked.
 */
/**
 * Stores a stronger hash of the same password (login's rehash), only if the stored one is still the
 * hash that login checked: a password change meanwhile wins. Nothing else moves, no token is revoked.
 */
export async function upgradePasswordHash(db: Kysely<Database>, id: string, from: string, to: string): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: to }).where('id', '=', id).where('password_hash', '=', from).execute();
}

export async function replacePassword(
  db: Kysely<Database>,
  dialect: DialectName,
  p: { accountId: string; passwordHash: string; keepTokenId?: string; audit: Omit<AuditInput, 'subject' | 'detail' | 'at'>; now: string },
): Promise<number> {
  // Neither wipes the phones: they may hold work not sent yet (tokens.ts RevokeReason).
  const reason: RevokeReason = p.keepTokenId !== undefined ? 'password_change' : 'password_reset';
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('accounts').set({ password_hash: p.passwordHash }).where('id', '=', p.accountId).execute();
    const revoked = await trx
      .updateTable('device_tokens')
      .set({ revoked_at: p.now, revoked_by: p.audit.actorId, revoked_reason: reason })
      .where('account_id', '=', p.accountId)
      .where('revoked_at', 'is', null)
      .$if(p.keepTokenId !== undefined, (q) => q.where('id', '!=', p.keepTokenId ?? ''))
      .returning('id')
      .execute();
    await appendAudit(trx, dialect, { ...p.audit, subject: p.accountId, detail: { revokedDevices: revoked.length }, at: p.now });
    return revoked.length;
  });
}
