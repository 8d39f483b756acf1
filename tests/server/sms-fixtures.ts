// A resident's request as the SMS gateway delivers it: sealed to the server's published key,
// split into SMS texts, and POSTed to the webhook one text at a time.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { packFieldsOf } from '../../core/sealed/form-fields.ts';
import { sealEnvelope } from '../../core/sealed/sealed-envelope.ts';
import { encodeSms } from '../../core/sms/sms-codec.ts';
import { publishedKey } from './sealing-fixtures.ts';

export const GATEWAY_SECRET = 'rahasia-gateway-uji-0123456789';
export const SENDER = '+6281234567890';

let gatewayIds = 0;
export function deliver(app: FastifyInstance, text: string, from = SENDER, secret = GATEWAY_SECRET): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/v1/sms/inbound',
    headers: { 'x-jangkau-gateway-secret': secret, 'content-type': 'application/json' },
    payload: { from, text, receivedAt: new Date().toISOString(), id: `gw-${++gatewayIds}` },
  });
}

export async function smsFor(app: FastifyInstance, item: SubmissionEnvelope, byFields = false): Promise<string[]> {
  const form = PUBLISHED_FORMS.find((f) => f.formId === item.formId && f.version === item.formVersion)!;
  return encodeSms(await sealEnvelope(await publishedKey(app), item, byFields ? packFieldsOf(form) : undefined));
}
