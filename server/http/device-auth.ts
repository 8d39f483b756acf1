// Reads `Authorization: Device <deviceId>.<deviceSecret>`. Checking the format needs no database,
// so it runs before the body is read; whether the secret matches is the route's business.
import type { FastifyRequest } from 'fastify';
import { parseDeviceAuthorization } from '../../core/protocol.ts';
import type { DeviceCredentials } from '../repositories/devices.ts';
import { ApiError } from './api-error.ts';

export function deviceCredentials(request: FastifyRequest): DeviceCredentials {
  // An officer's live device token (resolved by server/auth/officer.ts) acts as its own device row.
  if (request.officer) return { kind: 'officer', deviceId: request.officer.tokenId };
  const creds = parseDeviceAuthorization(request.headers.authorization);
  if (!creds) throw new ApiError(401, 'device_auth_missing', 'Authorization: Device <id>.<secret> is required');
  return { kind: 'phone', ...creds };
}

/** onRequest hook that refuses a request without well-formed device credentials. */
export async function requireDeviceHeader(request: FastifyRequest): Promise<void> {
  deviceCredentials(request);
}

export const wrongDeviceSecret = () => new ApiError(401, 'device_auth', 'Device secret does not match this device id');
