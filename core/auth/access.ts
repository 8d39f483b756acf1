// The decisions every endpoint asks: may this actor do this, to this region or this account?
// Each is a pure function of the actor's role and scope, so one table test covers them all.
import { covers } from './scope.ts';
import { hasPermission, MANAGEABLE_ROLES, type Permission, type Role } from './roles.ts';

export interface Actor {
  role: Role;
  scope: string;
}

/** A permission exercised on something in a region (a request, a coklit record). */
export function mayActOn(actor: Actor, permission: Permission, regionCode: string): boolean {
  return hasPermission(actor.role, permission) && covers(actor.scope, regionCode);
}

/** Creating an account, or revoking its devices: the manager's permission, role list and scope. */
export function mayManage(actor: Actor, target: Actor): boolean {
  return (
    hasPermission(actor.role, 'accounts.manage') &&
    MANAGEABLE_ROLES[actor.role].includes(target.role) &&
    covers(actor.scope, target.scope)
  );
}

/** Public forms come from anyone; officer forms only from an officer whose scope covers the region. */
export function mayPushForm(officer: Actor | undefined, audience: 'public' | 'officer', regionCode: string): boolean {
  if (audience === 'public') return true;
  return officer !== undefined && mayActOn(officer, 'officer_forms.submit', regionCode);
}
