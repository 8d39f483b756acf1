// Regional scope: an account scoped to a region sees that region and everything inside it.
// Codes are Kemendagri's, dotted, so "inside" is a prefix ending at a dot: '19.01' covers
// '19.01.03' and '19.01.03.2004' but not '19.010'.
import { ROLE_LEVELS, scopeLevel, type Role } from './roles.ts';

export function covers(scope: string, regionCode: string): boolean {
  return regionCode === scope || regionCode.startsWith(`${scope}.`);
}

/** Whether an account of `role` may be scoped to `scope` (its level only; existence is the caller's). */
export function scopeFitsRole(role: Role, scope: string): boolean {
  const level = scopeLevel(scope);
  return level !== undefined && ROLE_LEVELS[role].includes(level);
}
