// Device tokens of officer accounts. Each token is also a `devices` row of kind `officer` (same id,
// no secret), so an officer's device pushes and pulls like any device and follows the submissions
// it delivered, but only through its live token. Revoking sets `revoked_at`; every request looks
// the token up again, so a revoked or idle token stops working on every process at once.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toAccount, type Account } from './accounts.ts';

export interface DeviceToken {
  id: string;
  accountId: string;
  label: string;
  createdAt: string;
  lastUsedAt: string;
  revokedAt: string | null;
}

export interface ActiveToken {
  tokenId: string;
  lastUsedAt: string;
  account: Account;
}

/** How stale `last_used_at` may get before a request writes it again (saves a write per request). */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export async function issueToken(
  db: Kysely<Database>,
  t: { id: string; accountId: string; label: string; tokenHash: string; now: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // The device row carries no secret: only the live token opens it, as Bearer (server/auth/officer.ts).
    await trx.insertInto('devices').values({ id: t.id, secret_hash: '', kind: 'officer', created_at: t.now, last_seen_at: t.now }).execute();
    await trx
      .insertInto('device_tokens')
      .values({
        id: t.id,
        account_id: t.accountId,
        token_hash: t.tokenHash,
        label: t.label,
        created_at: t.now,
        last_used_at: t.now,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
  });
}

/** Why a presented token does not work, or the officer it belongs to. */
export type TokenLookup =
  | { state: 'active'; token: ActiveToken }
  | { state: 'unknown' | 'revoked' | 'account_disabled' | 'expired' };

/**
 * The token with this hash and its state: revoked (logout, an admin, a password change or reset,
 * the account disabled), its account disabled, idle longer than `idleMs` since its last use, or
 * active. The state decides the 401's code, so a phone can tell "log in again" from "revoked".
 */
export async function lookupToken(db: Kysely<Database>, hash: string, now: Date, idleMs: number): Promise<TokenLookup> {
  const row = await db
    .selectFrom('device_tokens as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select(['t.id as token_id', 't.last_used_at', 't.revoked_at', 'a.id', 'a.username', 'a.role', 'a.scope', 'a.display_name', 'a.created_at', 'a.disabled_at'])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return { state: 'unknown' };
  if (row.revoked_at !== null) return { state: 'revoked' };
  if (row.disabled_at !== null) return { state: 'account_disabled' };
  if (now.getTime() - Date.parse(row.last_used_at) > idleMs) return { state: 'expired' };
  return { state: 'active', token: { tokenId: row.token_id, lastUsedAt: row.last_used_at, account: toAccount(row) } };
}

export async function touchToken(db: Kysely<Database>, token: ActiveToken, now: Date): Promise<void> {
  if (now.getTime() - Date.parse(token.lastUsedAt) < TOUCH_INTERVAL_MS) return;
  await db.updateTable('device_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', token.tokenId).execute();
}

export async function findToken(db: Kysely<Database>, id: string): Promise<(DeviceToken & { account: Account }) | undefined> {
  const row = await db
    .selectFrom('device_tokens as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select([
      't.id as token_id',
      't.label',
      't.created_at as token_created_at',
      't.last_used_at',
      't.revoked_at',
      'a.id',
      'a.username',
      'a.role',
      'a.scope',
      'a.display_name',
      'a.created_at',
      'a.disabled_at',
    ])
    .where('t.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.token_id,
    accountId: row.id,
    label: row.label,
    createdAt: row.token_created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    account: toAccount(row),
  };
}

export async function listTokens(db: Kysely<Database>, accountId: string): Promise<DeviceToken[]> {
  const rows = await db
    .selectFrom('device_tokens')
    .select(['id', 'account_id', 'label', 'created_at', 'last_used_at', 'revoked_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    label: r.label,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes an unrevoked token; false when it was already revoked or does not exist. */
export async function revokeToken(db: Kysely<Database>, id: string, by: string, now: string): Promise<boolean> {
  const rows = await db
    .updateTable('device_tokens')
    .set({ revoked_at: now, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}
