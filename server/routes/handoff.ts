// POST /api/v1/handoff: an officer's phone (or any registered device) delivers the sealed QR
// hand-offs it carried. Each bundle is opened with the server's keys and ingested through push
// ingestion under its original id, as the hand-off channel's device: exactly once, whoever
// delivers it first, and the carrier does not follow the resident's request afterwards.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ItemResult } from '../../core/protocol.ts';
import { PushResponseSchema } from '../../core/protocol-schemas.ts';
import { openHandoffBundle, readHandoffBundle } from '../../core/handoff/handoff-bundle.ts';
import type { ServerKeyRing } from '../crypto/server-keys.ts';
import { deviceCredentials, requireDeviceHeader, wrongDeviceSecret } from '../http/device-auth.ts';
import type { DeviceCredentials } from '../repositories/devices.ts';
import { ingestAsChannel, publishedPackFields } from '../services/channel-ingest.ts';
import { deviceErrors } from './error-responses.ts';

export const MAX_BUNDLES = 50;

export const HandoffRequestSchema = Type.Object(
  {
    /** Each bundle as the QR codes carried it, reassembled: base64url. */
    bundles: Type.Array(Type.String({ minLength: 1, maxLength: 64 * 1024, pattern: '^[A-Za-z0-9_-]+$' }), {
      minItems: 1,
      maxItems: MAX_BUNDLES,
    }),
  },
  { additionalProperties: false },
);

export interface HandoffRouteOptions {
  ring: ServerKeyRing;
  device: DeviceCredentials;
}

export const handoffRoute: FastifyPluginAsyncTypebox<HandoffRouteOptions> = async (app, { ring, device }) => {
  const packFields = publishedPackFields(app);
  app.post(
    '/handoff',
    {
      bodyLimit: 4 * 1024 * 1024,
      onRequest: requireDeviceHeader,
      schema: { body: HandoffRequestSchema, response: { 200: PushResponseSchema, ...deviceErrors } },
      config: {
        openapi: {
          operationId: 'deliverHandoffs',
          summary: 'Deliver sealed QR hand-offs carried for residents',
          description:
            'One result per bundle, in order, as for a push: accepted, duplicate (the resident or another carrier ' +
            'delivered it first) or rejected (invalid_envelope when the bundle does not open, or the usual reasons).',
          deviceAuth: true,
        },
      },
    },
    async (request) => {
      // The carrier must be a known device (a resident's or an officer's); what it carries
      // is ingested as the hand-off channel's.
      if ((await app.repos.verifyDevice(deviceCredentials(request))) !== 'ok') throw wrongDeviceSecret();
      const opened = await Promise.all(
        request.body.bundles.map(async (text, index) => {
          const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
          const result = await openHandoffBundle(ring.all, bytes, packFields);
          const id = readHandoffBundle(bytes)?.submissionId ?? String(index);
          return { id, result };
        }),
      );
      const envelopes = opened.flatMap(({ result }) => (result.ok ? [result.envelope] : []));
      const pushed = envelopes.length > 0 ? await ingestAsChannel(app, device, envelopes) : undefined;
      let at = 0;
      const results = opened.map(({ id, result }): ItemResult => {
        if (!result.ok) return { id, outcome: 'rejected', reason: 'invalid_envelope' };
        return pushed!.results[at++]!;
      });
      request.log.info({ handoff: results.map((r) => r.outcome) }, 'handoff delivered');
      return { results, serverTime: new Date().toISOString() };
    },
  );
};
