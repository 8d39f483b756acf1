// Device tokens of officer accounts. Each token is also a `devices` row of kind `officer` (same id,
// no secret), so an officer's device pushes and pulls like any device and follows the submissions
// it delivered, but only through its live token. Revoking sets `revoked_at`; every request looks
// the token up again, so a revoked or idle token stops working on every process at once.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toAccount, type Account } from './accounts.ts';

export interface DeviceToken {
  id: string;
  accountId: string;
  label: string;
  createdAt: string;
  lastUsedAt: string;
  revokedAt: string | null;
  /** Revoked by an admin or with its account: the phone erases the officer's data at its next contact. */
  wipeOnContact: boolean;
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
  t: { id: string; accountId: string; label: string; tokenHash: string; now: string; revocationCheckHash?: string },
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
        revoked_reason: null,
        revocation_check_hash: t.revocationCheckHash ?? null,
      })
      .execute();
  });
}

/**
 * Why a token was revoked. `admin_revoke` (a lost or stolen phone) and `account_disabled` tell the
 * phone to erase the officer's data at its next contact; the others only ask for a new login, since
 * the phone may hold work not sent yet (a password change revokes the officer's *other* phones).
 */
export type RevokeReason = 'logout' | 'password_change' | 'password_reset' | 'admin_revoke' | 'account_disabled';

const WIPE_REASONS: ReadonlySet<string> = new Set<RevokeReason>(['admin_revoke', 'account_disabled']);
const wipes = (reason: string | null): boolean => reason !== null && WIPE_REASONS.has(reason);

/** Why a presented token does not work, or the officer it belongs to. */
export type TokenLookup =
  | { state: 'active'; token: ActiveToken }
  /** `revoked_wipe`: revoked by an admin or with its account: the phone erases the officer's data. */
  | { state: 'unknown' | 'revoked' | 'revoked_wipe' | 'expired' };

/**
 * The token with this hash and its state: revoked (logout, an admin, a password change or reset,
 * the account disabled), its account disabled, idle longer than `idleMs` since its last use, or
 * active. The state decides the 401's code, so a phone can tell "log in again" from "revoked".
 */
export async function lookupToken(db: Kysely<Database>, hash: string, now: Date, idleMs: number): Promise<TokenLookup> {
  const row = await db
    .selectFrom('device_tokens as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select(['t.id as token_id', 't.last_used_at', 't.revoked_at', 't.revoked_reason', 'a.id', 'a.username', 'a.role', 'a.scope', 'a.display_name', 'a.created_at', 'a.disabled_at'])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return { state: 'unknown' };
  if (row.revoked_at !== null) return { state: wipes(row.revoked_reason) ? 'revoked_wipe' : 'revoked' };
  // An account disabled without its tokens revoked (not done by the app, which revokes them in the
  // same transaction) is still an admin's act: the same signal.
  if (row.disabled_at !== null) return { state: 'revoked_wipe' };
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
      't.revoked_reason',
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
    wipeOnContact: wipes(row.revoked_reason),
    account: toAccount(row),
  };
}

export async function listTokens(db: Kysely<Database>, accountId: string): Promise<DeviceToken[]> {
  const rows = await db
    .selectFrom('device_tokens')
    .select(['id', 'account_id', 'label', 'created_at', 'last_used_at', 'revoked_at', 'revoked_reason'])
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
    wipeOnContact: wipes(r.revoked_reason),
  }));
}

/**
 * The state of the token with this id when `hash` is its own hash (the caller holds the token),
 * else undefined: for a `Device <tokenId>.<token>` credential, which is refused whatever the state,
 * but still carries the wipe signal to the phone that holds the token (and to nobody else).
 */
export async function lookupTokenById(db: Kysely<Database>, id: string, hash: string, now: Date, idleMs: number): Promise<TokenLookup | undefined> {
  const row = await db.selectFrom('device_tokens').select('token_hash').where('id', '=', id).executeTakeFirst();
  if (!row || row.token_hash !== hash) return undefined;
  return lookupToken(db, hash, now, idleMs);
}

/**
 * Whether the phone that gave this revocation check at login (`checkHash`, its hash) must erase the
 * officer's data: the token was revoked by an admin, or its account disabled. False for anything
 * else, a check that is not this token's included: the answer tells a stranger nothing.
 */
export async function wipeSignalled(db: Kysely<Database>, tokenId: string, checkHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('device_tokens as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select(['t.revoked_at', 't.revoked_reason', 'a.disabled_at'])
    .where('t.id', '=', tokenId)
    .where('t.revocation_check_hash', '=', checkHash)
    .executeTakeFirst();
  if (!row) return false;
  return row.revoked_at !== null ? wipes(row.revoked_reason) : row.disabled_at !== null;
}

/**
 * Revokes a token; false when nothing changed (no such token, or already revoked for a reason at
 * least as strong). An admin's revocation (a wiping reason) also marks a token revoked earlier
 * without one, keeping its first revocation time: a phone stolen, then logged out elsewhere by a
 * password change, still erases the officer's data once an admin reports it lost.
 */
export async function revokeToken(db: Kysely<Database>, id: string, by: string, now: string, reason: RevokeReason): Promise<boolean> {
  const rows = await revokeWhere(db, reason, by, now).where('id', '=', id).returning('id').execute();
  return rows.length > 0;
}

/** The UPDATE behind revokeToken, for the tokens the caller narrows it to (one, or an account's). */
export function revokeWhere(db: Kysely<Database>, reason: RevokeReason, by: string, now: string) {
  const update = db.updateTable('device_tokens').set({ revoked_at: sql<string>`coalesce(revoked_at, ${now})`, revoked_by: by, revoked_reason: reason });
  if (!wipes(reason)) return update.where('revoked_at', 'is', null);
  return update.where((eb) => eb.or([eb('revoked_reason', 'is', null), eb('revoked_reason', 'not in', [...WIPE_REASONS])]));
}
