// POST /api/v1/sms/inbound: the SMS gateway's webhook. One call per received SMS (or per joined
// long SMS); answered as soon as the part is stored, and after ingestion when it completes a
// message. Each call is signed by the gateway (http/gateway-signature.ts): the timestamp is checked
// before the body is read, the HMAC over timestamp and raw body before it is parsed. Contract:
// docs/handoff.md.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ItemResult } from '../../core/protocol.ts';
import { ApiError } from '../http/api-error.ts';
import { checkGatewaySignature, checkGatewayTimestamp, GATEWAY_SIGNATURE_HEADER, GATEWAY_TIMESTAMP_HEADER, type GatewayCheck } from '../http/gateway-signature.ts';
import type { ServerKeyRing } from '../crypto/server-keys.ts';
import type { DeviceCredentials } from '../repositories/devices.ts';
import { SmsStore } from '../repositories/sms-messages.ts';
import { smsNumbersOf } from '../crypto/sms-numbers.ts';
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
  /** The key the gateway signs with (SMS_GATEWAY_INBOUND_SECRET); without it the webhook answers 404. */
  inboundSecret?: string;
  device: DeviceCredentials;
}

const REFUSALS = {
  unsigned: `${GATEWAY_TIMESTAMP_HEADER} and ${GATEWAY_SIGNATURE_HEADER} are required (docs/handoff.md)`,
  stale: `${GATEWAY_TIMESTAMP_HEADER} is too far from the server's clock: sign each call when it is sent`,
  bad_signature: `${GATEWAY_SIGNATURE_HEADER} does not match this body and timestamp`,
} as const;

function refuse(check: GatewayCheck): void {
  if (!check.ok) throw new ApiError(401, 'gateway_auth', REFUSALS[check.reason]);
}

/** Requests whose signature was checked against their raw body (set by the body parser below). */
const verified = new WeakSet<FastifyRequest>();

export const smsRoute: FastifyPluginAsyncTypebox<SmsRouteOptions> = async (app, { ring, inboundSecret, device }) => {
  const store = new SmsStore(app.db, await smsNumbersOf(app.dataKeys));
  // This plugin's own JSON parser: the signature covers the bytes as sent, so it is checked on the
  // raw text, before parsing (with the app's usual guards against prototype poisoning).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const raw = typeof body === 'string' ? body : body.toString('utf8');
    const check = inboundSecret ? checkGatewaySignature(inboundSecret, request.headers, raw, new Date()) : ({ ok: false, reason: 'unsigned' } as const);
    if (!check.ok) {
      done(new ApiError(401, 'gateway_auth', REFUSALS[check.reason]), undefined);
      return;
    }
    verified.add(request);
    parseJson(request, raw, done);
  });
  app.post(
    '/sms/inbound',
    {
      onRequest: async (request) => {
        if (!inboundSecret) throw new ApiError(404, 'sms_disabled', 'The SMS channel is not configured');
        refuse(checkGatewayTimestamp(request.headers[GATEWAY_TIMESTAMP_HEADER], new Date()));
      },
      // A call that reached here without its body passing the signed parser (no body, another
      // content type) is refused too.
      preValidation: async (request) => {
        if (!verified.has(request)) refuse({ ok: false, reason: 'unsigned' });
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
            'X-Jangkau-Timestamp: <unix seconds>, X-Jangkau-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" ' +
            'under SMS_GATEWAY_INBOUND_SECRET>; 401 when missing, wrong, or more than 300 s from the server clock. 200 for every well-formed delivery, with the outcome ' +
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
