// Who is calling. A request with `Authorization: Bearer <device token>` is an officer's device:
// the token is looked up (by its hash) on every request, so a revoked token, a disabled account or
// a token idle past its limit is refused everywhere at once. A request with `Authorization: Device`
// naming a device the server reserves (an officer's token row, an SMS or hand-off channel) is
// refused too, whatever secret it carries (invariant 12). Other requests (residents' `Device`
// credentials, or none) pass through; the routes decide what they need.
import type { FastifyRequest } from 'fastify';
import type { Permission, Role } from '../../core/auth/roles.ts';
import { hasPermission } from '../../core/auth/roles.ts';
import { covers } from '../../core/auth/scope.ts';
import { parseDeviceAuthorization } from '../../core/protocol.ts';
import { ApiError } from '../http/api-error.ts';
import { deviceKind } from '../repositories/devices.ts';
import { lookupToken, lookupTokenById, touchToken, type TokenLookup } from '../repositories/tokens.ts';
import { parseBearer, tokenHash } from './tokens.ts';

export interface Officer {
  accountId: string;
  username: string;
  role: Role;
  scope: string;
  /** The device token's id, which is also this device's id in `devices` (kind `officer`). */
  tokenId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    officer?: Officer;
  }
}

/**
 * The 401 for a token that does not work. The codes are stable, for phones to act on:
 * `token_revoked_wipe` (an admin revoked this phone, or disabled the account: the phone erases the
 * officer's data, docs/sync-protocol.md), `token_revoked` (logged out, or by a password change or
 * reset: log in again, the queue waits), `token_expired` (idle too long:
 * log in again, nothing is lost) and `token_invalid` (unknown or malformed).
 */
const TOKEN_REFUSALS: Readonly<Record<Exclude<TokenLookup['state'], 'active'> | 'malformed', [code: string, message: string]>> = {
  unknown: ['token_invalid', 'The device token is unknown; log in again'],
  malformed: ['token_invalid', 'The device token is malformed; log in again'],
  revoked: ['token_revoked', 'The device token was revoked; log in again'],
  revoked_wipe: ['token_revoked_wipe', 'An admin revoked this device token: erase the officer’s data on this device'],
  expired: ['token_expired', 'The device token was unused too long and expired; log in again'],
};

export const tokenRefused = (state: keyof typeof TOKEN_REFUSALS) => new ApiError(401, ...TOKEN_REFUSALS[state]);
export const loginRequired = () => new ApiError(401, 'login_required', 'Authorization: Bearer <device token> is required');
export const forbidden = () => new ApiError(403, 'forbidden', 'This account may not do this');
const officerDeviceAsDevice = () =>
  new ApiError(401, 'officer_device', 'This device id belongs to an officer’s device token: send the token as Authorization: Bearer');
const channelDeviceAsDevice = () => new ApiError(403, 'device_reserved', 'This device id is reserved for the server');

/** onRequest hook (whole app): resolves a bearer token to the officer, or refuses the request. */
export async function resolveOfficer(request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization;
  const parsed = parseBearer(header);
  if (parsed.kind === 'none') return refuseReservedDevice(request, header);
  if (parsed.kind === 'malformed') throw tokenRefused('malformed');
  const db = request.server.db;
  const now = new Date();
  const found = await lookupToken(db, tokenHash(parsed.token), now, request.server.auth.tokenIdleMs);
  if (found.state !== 'active') throw tokenRefused(found.state);
  await touchToken(db, found.token, now);
  request.officer = {
    accountId: found.token.account.id,
    username: found.token.account.username,
    role: found.token.account.role,
    scope: found.token.account.scope,
    tokenId: found.token.tokenId,
  };
}

/**
 * `Device <id>.<secret>` naming a reserved device is refused on every endpoint, public ones too:
 * an officer's token (live or dead) goes as Bearer only, and the channels take no request at all.
 * Sent by the phone that holds the token (the secret is the token itself) after an admin revoked
 * it, the refusal is the wipe signal, as under Bearer; anyone else learns nothing of its state.
 */
async function refuseReservedDevice(request: FastifyRequest, header: string | undefined): Promise<void> {
  const creds = parseDeviceAuthorization(header);
  if (!creds) return;
  const db = request.server.db;
  const kind = await deviceKind(db, creds.deviceId);
  if (kind === 'officer') {
    const held = await lookupTokenById(db, creds.deviceId, tokenHash(creds.secret), new Date(), request.server.auth.tokenIdleMs);
    if (held?.state === 'revoked_wipe') throw tokenRefused('revoked_wipe');
    throw officerDeviceAsDevice();
  }
  if (kind === 'channel') throw channelDeviceAsDevice();
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

/** The region asked for (the caller's own when left out), once it lies in the caller's scope; 403 otherwise. */
export function askedScope(officerScope: string, region: string | undefined): string {
  const scope = region ?? officerScope;
  if (!covers(officerScope, scope)) throw forbidden();
  return scope;
}
