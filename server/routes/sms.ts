// POST /api/v1/sms/inbound: the SMS gateway's webhook. One call per received SMS (or per joined
// long SMS); answered as soon as the part is stored, and after ingestion when it completes a
// message. Contract: docs/handoff.md.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ItemResult } from '../../core/protocol.ts';
import { ApiError } from '../http/api-error.ts';
import type { ServerKeyRing } from '../crypto/server-keys.ts';
import type { DeviceCredentials } from '../repositories/devices.ts';
import { SmsStore } from '../repositories/sms-messages.ts';
import { ingestAsChannel, publishedPackFields } from '../services/channel-ingest.ts';
import { processInboundSms } from '../services/sms-inbound.ts';
import { clientErrors } from './error-responses.ts';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';

export const InboundSmsSchema = Type.Object(
  {
    /** The sender's number as the gateway saw it. */
    from: Type.String({ minLength: 3, maxLength: 32, pattern: '^\\+?[0-9]{3,31}$' }),
    /** The text; a long SMS joined by the gateway is welcome, segments one by one too. */
    text: Type.String({ minLength: 1, maxLength: 10_000 }),
    receivedAt: Type.String({ format: 'date-time', maxLength: 40 }),
    /** The gateway's own id of this SMS. */
    id: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: true },
);

export const InboundAnswerSchema = Type.Object({
  outcome: Type.Union([
    Type.Literal('ignored'),
    Type.Literal('stored'),
    Type.Literal('accepted'),
    Type.Literal('duplicate'),
    Type.Literal('refused'),
  ]),
  reason: Type.Optional(Type.String()),
  received: Type.Optional(Type.Integer()),
  total: Type.Optional(Type.Integer()),
  submissionId: Type.Optional(Type.String()),
  /** A short text the gateway may send back to the sender (basic GSM-7, at most 160 characters). */
  reply: Type.Optional(Type.String()),
});

export interface SmsRouteOptions {
  ring: ServerKeyRing;
  /** The gateway's shared secret; without it the webhook answers 404. */
  gatewaySecret?: string;
  device: DeviceCredentials;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The header the gateway sends its shared secret in (officers' `Authorization: Bearer` is taken). */
export const GATEWAY_SECRET_HEADER = 'x-jangkau-gateway-secret';

function checkGateway(request: FastifyRequest, secret: string): void {
  const sent = request.headers[GATEWAY_SECRET_HEADER];
  // Digests have one length, so the comparison takes the same time whatever was sent.
  if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), digest(secret))) {
    throw new ApiError(401, 'gateway_auth', `${GATEWAY_SECRET_HEADER}: <SMS gateway secret> is required`);
  }
}

export const smsRoute: FastifyPluginAsyncTypebox<SmsRouteOptions> = async (app, { ring, gatewaySecret, device }) => {
  const store = new SmsStore(app.db);
  app.post(
    '/sms/inbound',
    {
      onRequest: async (request) => {
        if (!gatewaySecret) throw new ApiError(404, 'sms_disabled', 'The SMS channel is not configured');
        checkGateway(request, gatewaySecret);
      },
      schema: {
        body: InboundSmsSchema,
        response: { 200: InboundAnswerSchema, ...clientErrors, 401: ErrorResponseSchema, 404: ErrorResponseSchema, 422: ErrorResponseSchema },
      },
      config: {
        openapi: {
          operationId: 'smsInbound',
          summary: 'SMS gateway webhook: one received SMS',
          description:
            'X-Jangkau-Gateway-Secret: <shared secret>. 200 for every well-formed delivery, with the outcome ' +
            '(stored part, accepted, duplicate, refused, or ignored when the text is not a Jangkau message); ' +
            '422 when the text is a Jangkau part that was cut or altered on the way. Do not retry 4xx.',
        },
      },
    },
    async (request) => {
      const answer = await processInboundSms(
        {
          store,
          keys: ring.all,
          packFieldsOf: publishedPackFields(app),
          push: async (envelope): Promise<ItemResult> => (await ingestAsChannel(app, device, [envelope])).results[0]!,
          now: () => new Date(),
        },
        request.body,
      );
      if (answer.outcome === 'malformed') {
        throw new ApiError(422, 'sms_malformed', `Not a whole Jangkau SMS part (${answer.reason}): cut or altered on the way`);
      }
      // Outcomes only: the sender's number and the text stay out of the logs.
      request.log.info({ sms: answer.outcome, reason: 'reason' in answer ? answer.reason : undefined }, 'sms inbound');
      return answer;
    },
  );
};
