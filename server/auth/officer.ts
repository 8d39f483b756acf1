// Who is calling. A request with `Authorization: Bearer <device token>` is an officer's device:
// the token is looked up (by its hash) on every request, so a revoked token or a disabled account
// is refused everywhere at once. Other requests (residents' `Device` credentials, or none) pass
// through untouched; the routes decide what they need.
import type { FastifyRequest } from 'fastify';
import type { Permission, Role } from '../../core/auth/roles.ts';
import { hasPermission } from '../../core/auth/roles.ts';
import { ApiError } from '../http/api-error.ts';
import { findActiveToken, touchToken } from '../repositories/tokens.ts';
import { parseBearer, tokenHash } from './tokens.ts';

export interface Officer {
  accountId: string;
  username: string;
  role: Role;
  scope: string;
  /** The device token's id, which is also this device's id in `devices`. */
  tokenId: string;
  /** The presented token; it stands in for a device secret (never logged, never stored). */
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    officer?: Officer;
  }
}

export const tokenInvalid = () => new ApiError(401, 'token_invalid', 'The device token is unknown or revoked; log in again');
export const loginRequired = () => new ApiError(401, 'login_required', 'Authorization: Bearer <device token> is required');
export const forbidden = () => new ApiError(403, 'forbidden', 'This account may not do this');

/** onRequest hook (whole app): resolves a bearer token to the officer, or refuses the request. */
export async function resolveOfficer(request: FastifyRequest): Promise<void> {
  const parsed = parseBearer(request.headers.authorization);
  if (parsed.kind === 'none') return;
  if (parsed.kind === 'malformed') throw tokenInvalid();
  const db = request.server.db;
  const found = await findActiveToken(db, await tokenHash(parsed.token));
  if (!found) throw tokenInvalid();
  await touchToken(db, found, new Date());
  request.officer = {
    accountId: found.account.id,
    username: found.account.username,
    role: found.account.role,
    scope: found.account.scope,
    tokenId: found.tokenId,
    token: parsed.token,
  };
}

/** The calling officer, or 401. */
export function officerOf(request: FastifyRequest): Officer {
  if (!request.officer) throw loginRequired();
  return request.officer;
}

/** The calling officer if their role holds `permission`; 401 without a token, 403 without the permission. */
export function officerWith(request: FastifyRequest, permission: Permission): Officer {
  const officer = officerOf(request);
  if (!hasPermission(officer.role, permission)) throw forbidden();
  return officer;
}

/** preHandler-style guard for routes that need a permission. */
export function requirePermission(permission: Permission) {
  return async (request: FastifyRequest): Promise<void> => {
    officerWith(request, permission);
  };
}
