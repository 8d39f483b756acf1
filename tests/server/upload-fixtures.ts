// Files and tus requests for the upload tests: random bytes behind a real magic number, and the
// creation and PATCH requests a device sends, through app.inject.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/schema.ts';
import { publishForm } from '../../server/repositories/forms.ts';
import { LAMPIRAN_FORM } from '../unit/attachments/fixtures.ts';
import { envelope, pushOk, type TestDevice } from './helpers.ts';

export const UPLOADS_BASE = '/api/v1/uploads';

export const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
export const b64 = (s: string) => Buffer.from(s).toString('base64');

/** `size` random bytes that start as a JPEG (JFIF). */
export function jpeg(size: number): Buffer {
  const body = randomBytes(size);
  body.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return body;
}

/** `size` random bytes that start as a PDF. */
export function pdf(size: number): Buffer {
  const body = randomBytes(size);
  body.set(Buffer.from('%PDF-1.7\n'), 0);
  return body;
}

/** The tus creation POST for `bytes`, declaring `hash` (their own sha256 by default) and `type`. */
export function tusCreate(
  app: FastifyInstance,
  device: TestDevice,
  bytes: Buffer,
  type = 'image/jpeg',
  extra: Record<string, string> = {},
  hash = sha(bytes),
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: UPLOADS_BASE,
    headers: {
      authorization: device.authorization,
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': `sha256 ${b64(hash)},type ${b64(type)}`,
      ...extra,
    },
  });
}

/** A tus PATCH of `body` at `offset`. */
export function tusPatch(
  app: FastifyInstance,
  device: TestDevice,
  url: string,
  offset: number,
  body: Buffer,
  extra: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'PATCH',
    url,
    headers: {
      authorization: device.authorization,
      'tus-resumable': '1.0.0',
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
      ...extra,
    },
    payload: body,
  });
}

/**
 * Pushes a submission (of the test form with file fields) that names `files`: the server takes
 * uploads only of files a stored submission of the device names. Returns the submission's id.
 */
export async function pushNaming(
  app: FastifyInstance,
  db: Kysely<Database>,
  device: TestDevice,
  files: readonly { bytes: Buffer; type?: string }[],
): Promise<string> {
  await publishForm(db, LAMPIRAN_FORM, new Date().toISOString());
  const item = envelope({
    formId: LAMPIRAN_FORM.formId,
    formVersion: LAMPIRAN_FORM.version,
    data: {
      judul: 'Lampiran',
      anggota: files.map(({ bytes, type = 'image/jpeg' }, i) => ({ nama: `Anggota ${i}`, dokumen: { sha256: sha(bytes), type, size: bytes.length } })),
    },
  });
  const answer = await pushOk(app, device, [item]);
  if (answer.results[0]?.outcome !== 'accepted') throw new Error(`push of the naming submission: ${JSON.stringify(answer.results[0])}`);
  return item.id;
}
