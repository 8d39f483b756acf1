// Creating an account, shared by the admin API and the CLI's create-admin: the same checks on
// username, password, role and scope, the password hashed, and the creation audited.
import type { Kysely } from 'kysely';
import { accountProblem, type AccountInput, type AccountProblem } from '../../core/auth/account-rules.ts';
import { ulid } from '../../core/ids.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { createAccount, normalizeUsername, type Account } from '../repositories/accounts.ts';
import { recordAudit } from '../repositories/audit-log.ts';
import { hashPassword, type ScryptParams } from './password.ts';

// The rules themselves are shared with the account screen (core/auth/account-rules.ts).
export { accountProblem, regionExists, USERNAME_RE, type AccountInput, type AccountProblem } from '../../core/auth/account-rules.ts';

export const ACCOUNT_PROBLEM_MESSAGES: Readonly<Record<AccountProblem | 'username_taken', string>> = {
  username_invalid: 'username: 3–40 characters, lower-case letters, digits, dot, dash or underscore',
  password_short: 'password: at least 10 characters',
  password_long: 'password: at most 200 characters',
  scope_unknown: 'scope: not a region code of the province',
  scope_role_mismatch: 'scope: this role is scoped to another region level',
  display_name_invalid: 'displayName: 1–100 characters',
  username_taken: 'username: already taken',
};

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
