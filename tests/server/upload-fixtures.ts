// Files and tus requests for the upload tests: random bytes behind a real magic number, and the
// creation and PATCH requests a device sends, through app.inject.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { ItemResult, SubmissionEnvelope } from '../../core/protocol.ts';
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

export interface FileRef {
  sha256: string;
  type: string;
  size: number;
}

export const refOf = (bytes: Buffer, type = 'image/jpeg', hash = sha(bytes)): FileRef => ({ sha256: hash, type, size: bytes.length });

/**
 * Pushes a submission (of the test form with file fields) that names `files`: the server takes
 * uploads only of files a stored submission of the device names. Answers the push as it came; a
 * file the form refuses (a type or size not allowed) leaves it rejected.
 */
export async function nameFiles(app: FastifyInstance, db: Kysely<Database>, device: TestDevice, files: readonly FileRef[]): Promise<ItemResult | undefined> {
  const publish = await publishForm(db, LAMPIRAN_FORM, new Date().toISOString());
  // Published behind the app's back: its form cache learns of it as after a publish command.
  if (publish.ok && publish.published) await app.repos.forms.reload();
  const item = envelope({
    formId: LAMPIRAN_FORM.formId,
    formVersion: LAMPIRAN_FORM.version,
    data: { judul: 'Lampiran', anggota: files.map((ref, i) => ({ nama: `Anggota ${i}`, dokumen: ref })) },
  });
  return (await pushOk(app, device, [item])).results[0];
}

/** nameFiles for `files`, which must be accepted; returns the submission's id. */
export async function pushNaming(
  app: FastifyInstance,
  db: Kysely<Database>,
  device: TestDevice,
  files: readonly { bytes: Buffer; type?: string }[],
): Promise<string> {
  const result = await nameFiles(app, db, device, files.map(({ bytes, type }) => refOf(bytes, type)));
  if (result?.outcome !== 'accepted') throw new Error(`push of the naming submission: ${JSON.stringify(result)}`);
  return result.id;
}

/**
 * A complaint (the bundled `pengaduan` form, published on every server) with `photo` as its
 * evidence: a submission that names one photo, for tests against a server process.
 */
export function complaintWithPhoto(photo: FileRef): SubmissionEnvelope {
  return envelope({
    formId: 'pengaduan',
    formVersion: 1,
    data: {
      jenis: 'pengaduan',
      ditujukanKepada: '19',
      nik: '1901024501900001',
      nama: 'Siti Aminah',
      telepon: '081234567890',
      isi: 'Antrean di loket pelayanan terlalu panjang.',
      bukti: photo,
    },
  });
}
