// Ingesting envelopes that arrived sealed (SMS, QR hand-off) through the same push ingestion as
// a phone's push, as the channel's server-side device, and looking up the published form fields
// that sealed envelopes may be packed by.
import type { FastifyInstance } from 'fastify';
import type { PushResponse } from '../../core/protocol.ts';
import type { PackFieldsOf } from '../../core/sealed/envelope-codec.ts';
import { packFieldsOf } from '../../core/sealed/form-fields.ts';
import type { DeviceCredentials } from '../repositories/devices.ts';
import { formKey } from '../repositories/forms.ts';
import { processPush } from './push.ts';

export function publishedPackFields(app: FastifyInstance): PackFieldsOf {
  return async (formId, version) => {
    const form = (await app.repos.forms.findMany([{ formId, version }])).get(formKey(formId, version));
    return form ? packFieldsOf(form) : undefined;
  };
}

/** processPush as the channel's device; its secret is the server's own, so a refusal is a fault. */
export async function ingestAsChannel(app: FastifyInstance, device: DeviceCredentials, items: readonly unknown[]): Promise<PushResponse> {
  const answer = await processPush(
    {
      findForms: (keys) => app.repos.forms.findMany(keys),
      ingest: (toStore, receivedAt) => app.repos.ingest(device, toStore, receivedAt),
      storedHashes: (ids) => app.repos.storedHashes(ids),
      now: () => new Date(),
      subjectIndex: app.subjectIndex,
    },
    items,
  );
  if (answer === 'device_auth') throw new Error(`the channel device ${device.deviceId} was refused`);
  return answer;
}
