// GET /api/v1/keys: the server's public sealing keys, which the app caches for offline use (the
// QR hand-off and the SMS channel seal to the current one), and the province's SMS number.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SEAL_ALGORITHM } from '../../core/sealed/seal.ts';
import { publicKeyBase64Url, type ServerKeyRing } from '../crypto/server-keys.ts';
import { clientErrors } from './error-responses.ts';

export const KeysResponseSchema = Type.Object({
  /** Key id of the key to seal to now. */
  current: Type.String({ pattern: '^[0-9a-f]{8}$' }),
  keys: Type.Array(
    Type.Object({
      kid: Type.String({ pattern: '^[0-9a-f]{8}$' }),
      alg: Type.Literal(SEAL_ALGORITHM),
      /** The raw uncompressed P-256 point (65 bytes), base64url. */
      publicKey: Type.String(),
      createdAt: Type.String(),
    }),
  ),
  /** Where "Kirim lewat SMS" sends to; absent when the SMS channel is not set up. */
  smsNumber: Type.Optional(Type.String()),
});

export interface KeysRouteOptions {
  ring: ServerKeyRing;
  smsNumber?: string;
}

/** A day: long enough for phones on a weak link, short enough that a rotation reaches them. */
const CACHE_SECONDS = 24 * 60 * 60;

export const keysRoute: FastifyPluginAsyncTypebox<KeysRouteOptions> = async (app, { ring, smsNumber }) => {
  const body = {
    current: ring.current.kid,
    keys: ring.all.map((k) => ({ kid: k.kid, alg: SEAL_ALGORITHM, publicKey: publicKeyBase64Url(k), createdAt: k.createdAt })),
    ...(smsNumber ? { smsNumber } : {}),
  };
  app.get(
    '/keys',
    {
      schema: { response: { 200: KeysResponseSchema, ...clientErrors } },
      config: {
        openapi: {
          operationId: 'sealingKeys',
          summary: 'Public keys that QR hand-offs and SMS are sealed to, and the SMS number',
          description: 'Cacheable for a day. Seal to `current`; older keys are listed while the server still opens them.',
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', `public, max-age=${CACHE_SECONDS}`);
      return body;
    },
  );
};
