// A resident's request as the SMS gateway delivers it: sealed to the server's published key,
// split into SMS texts, and POSTed to the webhook one text at a time.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { packFieldsOf } from '../../core/sealed/form-fields.ts';
import { sealEnvelope } from '../../core/sealed/sealed-envelope.ts';
import { encodeSms } from '../../core/sms/sms-codec.ts';
import { signedGatewayHeaders } from '../../server/http/gateway-signature.ts';
import { publishedKey } from './sealing-fixtures.ts';

/** What the gateway signs webhook calls with, and what the server signs status SMS with. */
export const INBOUND_SECRET = 'rahasia-gateway-masuk-0123456789';
export const OUTBOUND_SECRET = 'rahasia-gateway-keluar-0123456789';
export const SENDER = '+6281234567890';

/** A webhook call as the gateway makes it: the raw JSON body, signed at `now`. */
export function deliverRaw(app: FastifyInstance, body: string, secret = INBOUND_SECRET, now = new Date()): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/v1/sms/inbound',
    headers: { 'content-type': 'application/json', ...signedGatewayHeaders(secret, body, now) },
    payload: body,
  });
}

let gatewayIds = 0;
export function deliver(app: FastifyInstance, text: string, from = SENDER, secret = INBOUND_SECRET): Promise<LightMyRequestResponse> {
  return deliverRaw(app, JSON.stringify({ from, text, receivedAt: new Date().toISOString(), id: `gw-${++gatewayIds}` }), secret);
}

export async function smsFor(app: FastifyInstance, item: SubmissionEnvelope, byFields = false): Promise<string[]> {
  const form = PUBLISHED_FORMS.find((f) => f.formId === item.formId && f.version === item.formVersion)!;
  return encodeSms(await sealEnvelope(await publishedKey(app), item, byFields ? packFieldsOf(form) : undefined));
}
