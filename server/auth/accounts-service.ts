// Creating an account, shared by the admin API and the CLI's create-admin: the same checks on
// username, password, role and scope, the password hashed, and the creation audited.
import type { Kysely } from 'kysely';
import { scopeFitsRole } from '../../core/auth/scope.ts';
import type { Role } from '../../core/auth/roles.ts';
import { ulid } from '../../core/ids.ts';
import { PROVINCE_CODE } from '../../core/regions.ts';
import { REGION_CATALOG } from '../../core/regions/catalog.generated.ts';
import { findRegion } from '../../core/regions/lookup.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { createAccount, normalizeUsername, type Account } from '../repositories/accounts.ts';
import { recordAudit } from '../repositories/audit-log.ts';
import { hashPassword, passwordProblem, type ScryptParams } from './password.ts';

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,39}$/;

export interface AccountInput {
  username: string;
  password: string;
  role: Role;
  scope: string;
  displayName: string;
}

export type AccountProblem =
  | 'username_invalid'
  | 'password_short'
  | 'password_long'
  | 'scope_unknown'
  | 'scope_role_mismatch'
  | 'display_name_invalid';

export const ACCOUNT_PROBLEM_MESSAGES: Readonly<Record<AccountProblem | 'username_taken', string>> = {
  username_invalid: 'username: 3–40 characters, lower-case letters, digits, dot, dash or underscore',
  password_short: 'password: at least 10 characters',
  password_long: 'password: at most 200 characters',
  scope_unknown: 'scope: not a region code of the province',
  scope_role_mismatch: 'scope: this role is scoped to another region level',
  display_name_invalid: 'displayName: 1–100 characters',
  username_taken: 'username: already taken',
};

export function regionExists(code: string): boolean {
  return code === PROVINCE_CODE || findRegion(REGION_CATALOG, code) !== undefined;
}

export function accountProblem(input: AccountInput): AccountProblem | undefined {
  if (!USERNAME_RE.test(normalizeUsername(input.username))) return 'username_invalid';
  const pw = passwordProblem(input.password);
  if (pw) return pw;
  if (!regionExists(input.scope)) return 'scope_unknown';
  if (!scopeFitsRole(input.role, input.scope)) return 'scope_role_mismatch';
  const name = input.displayName.trim();
  if (name.length < 1 || name.length > 100) return 'display_name_invalid';
  return undefined;
}

export type CreateResult = { ok: true; account: Account } | { ok: false; error: AccountProblem | 'username_taken' };

export async function createAccountChecked(
  db: Kysely<Database>,
  dialect: DialectName,
  input: AccountInput,
  by: { actorId: string; actorRole: string },
  scrypt?: ScryptParams,
): Promise<CreateResult> {
  const problem = accountProblem(input);
  if (problem) return { ok: false, error: problem };
  const now = new Date().toISOString();
  const created = await createAccount(db, {
    id: ulid(),
    username: normalizeUsername(input.username),
    passwordHash: await hashPassword(input.password, scrypt),
    role: input.role,
    scope: input.scope,
    displayName: input.displayName.trim(),
    createdBy: by.actorId,
    now,
  });
  if (!created.ok) return created;
  await recordAudit(db, dialect, {
    ...by,
    action: 'account.create',
    subject: created.account.id,
    regionCode: created.account.scope,
    detail: { role: created.account.role },
    at: now,
  });
  return created;
}
