// What makes a new account acceptable: one set of rules for the server, which enforces them
// (server/auth/accounts-service.ts), and the account screen, which says what is wrong beside the
// field before anything is sent.
import { PROVINCE_CODE } from '../regions.ts';
import { REGION_CATALOG } from '../regions/catalog.generated.ts';
import { findRegion } from '../regions/lookup.ts';
import type { Role } from './roles.ts';
import { scopeFitsRole } from './scope.ts';

/** An account as the admin and login endpoints answer it (server/routes/auth.ts accountView; the account screens). */
export interface AccountView {
  id: string;
  username: string;
  role: Role;
  scope: string;
  displayName: string;
  createdAt: string;
  disabled: boolean;
}

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,39}$/;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

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

/** Usernames are compared and stored trimmed and in lower case. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** Problems with a new password, as message keys; empty means acceptable. */
export function passwordProblem(password: string): 'password_short' | 'password_long' | undefined {
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'password_short';
  if (password.length > PASSWORD_MAX_LENGTH) return 'password_long';
  return undefined;
}

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
