// tus 1.0 uploads under /api/v1/uploads/, content-addressed: the upload id is the file's sha256,
// so the same photo is stored once and a device can always find how far an earlier try got.
// @tus/server does the protocol; this plugin adds what tus leaves open: device auth, the
// "already have it" answer to a repeated POST, the size and type limits, and a sha256 check of the
// finished file. Contract: docs/attachments.md.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Server } from '@tus/server';
import type { Upload } from '@tus/utils';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.ts';
import { deviceCredentials, wrongDeviceSecret } from '../http/device-auth.ts';
import { tooManyRequests } from '../auth/auth-plugin.ts';
import { requestEncoding } from '../http/request-encoding.ts';
import type { RouteDoc } from '../http/openapi.ts';
import { SECURITY_HEADERS } from '../http/security-headers.ts';
import { deviceNamesFile, markAttachmentArrived } from '../repositories/attachments.ts';
import { RateLimiter, type WindowLimit } from '../auth/rate-limit.ts';
import { deleteExpiredUploads, deleteUnreferencedUploads } from './cleanup.ts';
import { freeBytes } from './free-space.ts';
import { fsyncPath, makeUploadDurable, type SyncPath } from './durable.ts';
import { SealingFileStore } from './encrypted-store.ts';
import { isAllowedType, SNIFF_BYTES, sniffType } from './magic.ts';
import { isSha256Hex, readUploadMetadata } from './metadata.ts';

export const UPLOADS_PATH = '/uploads';

/** What /api/v1/openapi.json says about the tus endpoints (HEAD, which it does not list, is in append). */
const UPLOAD_DOCS = {
  create: {
    operationId: 'createUpload',
    summary: 'Start (or find) the byte-resumable upload of one file, named by its sha256 (tus 1.0 creation)',
    description:
      'Headers: Tus-Resumable: 1.0.0, Upload-Length, Upload-Metadata "sha256 <base64>,type <base64>". 201 + Location: a new upload; ' +
      '200 + Location, Upload-Offset, Upload-Length: this sha256 exists (offset = length: complete and verified, do not send again). ' +
      '400 bad metadata/length, 403 not_referenced (no stored submission of this device names the sha256: push it first), ' +
      '409 length_conflict, 413 too_large, 415 unsupported_media_type (JPEG, PNG, WebP, PDF), 423 upload_busy, ' +
      '429 rate_limited (upload starts per device and per address; Retry-After), 507 insufficient_storage (the disk keeps a floor for the database). ' +
      'The device must have pushed the submission naming the file first (data first). ' +
      'creation-with-upload: with Content-Type application/offset+octet-stream the POST carries the first bytes (the whole file, ' +
      'typically); the 201 then says Upload-Offset, and a file completed this way is checked and on disk before the answer, as by a PATCH. ' +
      'A 200 (already there) ignores the body.',
    deviceAuth: true,
  },
  options: {
    operationId: 'uploadCapabilities',
    summary: 'tus capabilities: Tus-Version, Tus-Extension, Tus-Max-Size',
  },
  append: {
    operationId: 'appendUpload',
    summary: 'Append bytes at Upload-Offset (tus PATCH); HEAD on the same URL answers the current offset',
    description:
      'Body: application/offset+octet-stream, no Content-Encoding. 204 + Upload-Offset. On the last byte the file is checked: ' +
      '415 unsupported_media_type (content is not the declared type) or 422 checksum_mismatch (bytes are not the sha256); both delete it. ' +
      '409 stale offset (ask HEAD), 413 past Upload-Length, 404 unknown or expired (POST again), 507 insufficient_storage. HEAD: 200 + Upload-Offset, Upload-Length.',
    deviceAuth: true,
  },
} satisfies Record<string, RouteDoc>;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface UploadsOptions {
  /** Where files live; DATA_DIR/uploads by default. */
  dir?: string;
  /** Largest accepted file; UPLOAD_MAX_BYTES or 10 MB. */
  maxBytes?: number;
  /** Unfinished uploads older than this are deleted; UPLOAD_EXPIRY_DAYS or 7. */
  expiryDays?: number;
  /** How often the expiry sweep runs; 0 turns it off (tests call deleteExpiredUploads). */
  sweepEveryMs?: number;
  /** How a finished file and its directory are flushed to disk (fsync; a test may watch it). */
  syncPath?: SyncPath;
  /**
   * Free bytes the upload disk keeps for the database: an upload that would leave less is refused
   * with 507. UPLOAD_MIN_FREE_BYTES or 1 GiB.
   */
  minFreeBytes?: number;
  /** Upload starts (creation POSTs) per device and per client address; UPLOAD_STARTS_PER_DEVICE_HOUR (200), UPLOAD_STARTS_PER_ADDRESS_HOUR (2000). */
  limits?: { perDevice: WindowLimit; perAddress: WindowLimit };
}

function positiveNumber(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
}

function nonNegativeNumber(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
}

export function resolveUploadsOptions(options: UploadsOptions, env: NodeJS.ProcessEnv = process.env): Required<UploadsOptions> {
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  return {
    dir: options.dir ?? join(dataDir, 'uploads'),
    maxBytes: options.maxBytes ?? positiveNumber(env.UPLOAD_MAX_BYTES, 10 * 1024 * 1024),
    expiryDays: options.expiryDays ?? positiveNumber(env.UPLOAD_EXPIRY_DAYS, 7),
    sweepEveryMs: options.sweepEveryMs ?? 60 * 60 * 1000,
    syncPath: options.syncPath ?? fsyncPath,
    minFreeBytes: options.minFreeBytes ?? nonNegativeNumber(env.UPLOAD_MIN_FREE_BYTES, 1024 * 1024 * 1024),
    limits: options.limits ?? {
      perDevice: { max: positiveNumber(env.UPLOAD_STARTS_PER_DEVICE_HOUR, 200), windowMs: HOUR_MS },
      perAddress: { max: positiveNumber(env.UPLOAD_STARTS_PER_ADDRESS_HOUR, 2000), windowMs: HOUR_MS },
    },
  };
}

/** A tus hook error: @tus/server sends `status_code` and `body` as the answer. */
function tusError(status: number, error: string, message: string): { status_code: number; body: string } {
  return { status_code: status, body: JSON.stringify({ error, message }) };
}

export async function uploadsRoute(app: FastifyInstance, raw: UploadsOptions): Promise<void> {
  const options = resolveUploadsOptions(raw);
  await mkdir(options.dir, { recursive: true });
  const store = new SealingFileStore(options.dir, app.dataKeys, app.db);
  const basePath = `${app.prefix}${UPLOADS_PATH}`;

  type TusError = ReturnType<typeof tusError>;

  const checkFinished = async (upload: Upload): Promise<TusError | undefined> => {
    const declared = upload.metadata?.type ?? '';
    // The plain bytes (a file sealed by an earlier process is opened): at most maxBytes.
    const plain = await store.plainBytes(upload.id);
    const sniffed = sniffType(plain.subarray(0, SNIFF_BYTES));
    if (sniffed === undefined || sniffed !== declared) {
      return tusError(415, 'unsupported_media_type', `File content is not ${declared}; allowed: JPEG, PNG, WebP, PDF`);
    }
    if (createHash('sha256').update(plain).digest('hex') !== upload.id) {
      return tusError(422, 'checksum_mismatch', 'The received bytes do not match the declared sha256; upload again');
    }
    // Encrypted at rest before anyone hears the file is complete (encrypted-store.ts).
    if (!(await store.isSealed(upload.id))) await store.seal(upload.id, plain, new Date().toISOString());
    return undefined;
  };

  // tus calls onUploadFinish after releasing its lock, so a HEAD could see a complete but not yet
  // checked file and a device would take it as done. Every answer that reveals completion
  // (finishing PATCH, HEAD, repeated POST) therefore goes through one shared check per file.
  // Keyed by id and creation: a file swept and uploaded again (by this process or another) is a
  // new upload, checked and recorded as arrived again.
  const verified = new Set<string>();
  const verifiedKey = (upload: Upload) => `${upload.id} ${upload.creation_date ?? ''}`;
  const verifying = new Map<string, Promise<TusError | undefined>>();
  const verifyOnce = (upload: Upload): Promise<TusError | undefined> => {
    if (verified.has(verifiedKey(upload))) return Promise.resolve(undefined);
    let running = verifying.get(upload.id);
    if (!running) {
      running = checkFinished(upload)
        .then(async (failure) => {
          if (failure) {
            await store.remove(upload.id).catch(() => undefined);
            return failure;
          }
          // On the disk for good, then recorded, then reported complete to anyone: a device that
          // hears "done" drops its copy, so the province must already hold and count the file.
          await makeUploadDurable(options.syncPath, options.dir, upload.id);
          await markAttachmentArrived(
            app.db,
            { sha256: upload.id, type: upload.metadata?.type ?? 'application/octet-stream', size: upload.size ?? upload.offset },
            new Date().toISOString(),
          );
          verified.add(verifiedKey(upload));
          return undefined;
        })
        .finally(() => verifying.delete(upload.id));
      verifying.set(upload.id, running);
    }
    return running;
  };
  /** The upload, verified if complete; undefined when absent or refused (and now deleted). */
  const completeAndGood = async (id: string): Promise<Upload | undefined> => {
    const upload = await store.getUpload(id).catch(() => undefined);
    if (!upload || upload.size === undefined || upload.offset !== upload.size) return upload;
    return (await verifyOnce(upload)) ? undefined : upload;
  };

  const tusOptions: ConstructorParameters<typeof Server>[0] = {
    path: basePath,
    datastore: store,
    relativeLocation: true,
    maxSize: options.maxBytes,
    // Finished files are evidence for a submission; a device has no reason to delete one.
    disableTerminationForFinishedUploads: true,
    namingFunction: (_req, metadata) => {
      // Checked before the request reached tus; repeated here so no other id can ever be stored.
      const sha = metadata?.sha256;
      if (typeof sha !== 'string' || !isSha256Hex(sha)) throw tusError(400, 'bad_metadata', 'Upload-Metadata needs sha256');
      return sha;
    },
    onUploadFinish: async (_req, upload) => {
      const failure = await verifyOnce(upload);
      if (failure) throw failure;
      return {};
    },
    onResponseError: (_req, err) => {
      // A body cut off mid-PATCH surfaces as a store write error (500 in tus); it is the
      // client's connection, not a server fault, and the bytes before the cut are kept.
      const status = 'status_code' in err ? err.status_code : 500;
      if (status === 500 && 'body' in err && /write|abort/i.test(err.body)) {
        return tusError(400, 'incomplete_body', 'Request body was cut off; ask HEAD for the offset and resume');
      }
      return undefined;
    },
  };
  const tus = new Server(tusOptions);

  if (options.sweepEveryMs > 0) {
    const maxAgeMs = options.expiryDays * DAY_MS;
    const timer = setInterval(() => {
      Promise.all([
        deleteExpiredUploads(options.dir, maxAgeMs),
        deleteUnreferencedUploads(app.db, options.dir, maxAgeMs),
      ]).catch((err: unknown) => {
        app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'upload expiry sweep failed');
      });
    }, options.sweepEveryMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }

  // tus reads the raw body stream itself; Fastify must neither parse nor limit it here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const authenticate = async (request: FastifyRequest): Promise<void> => {
    if (request.method === 'OPTIONS') return;
    const creds = deviceCredentials(request);
    const check = await app.repos.verifyDevice(creds);
    if (check === 'unknown') throw new ApiError(401, 'device_unknown', 'Unknown device: push the submission first');
    if (check !== 'ok') throw wrongDeviceSecret();
  };

  // The disk the files fill is the database's disk: uploads stop before the database would.
  const keepFloor = async (incoming: number): Promise<void> => {
    if ((await freeBytes(options.dir)) - incoming < options.minFreeBytes) {
      throw new ApiError(507, 'insufficient_storage', 'The server is short of disk space for files; try again later');
    }
  };
  const perDevice = new RateLimiter(options.limits.perDevice);
  const perAddress = new RateLimiter(options.limits.perAddress);
  /** Upload starts per device and per address: each start may bring up to maxBytes. */
  const limitStarts = (request: FastifyRequest, reply: FastifyReply): void => {
    for (const verdict of [perAddress.hit(request.ip), perDevice.hit(deviceCredentials(request).deviceId)]) {
      if (!verdict.ok) throw tooManyRequests(reply, verdict.retryAfterSeconds);
    }
  };

  const creating = new Set<string>();

  /**
   * POST for a sha256 the server already holds: 200 with where it is and how far it got
   * ('answered'). Otherwise the id tus is about to create.
   */
  const checkCreate = async (request: FastifyRequest, reply: FastifyReply): Promise<'answered' | string> => {
    const h = request.headers;
    if (h['upload-defer-length'] !== undefined) throw new ApiError(400, 'defer_length', 'Upload-Length is required; Upload-Defer-Length is not supported');
    const lengthHeader = h['upload-length'];
    const length = typeof lengthHeader === 'string' && /^\d{1,15}$/.test(lengthHeader) ? Number(lengthHeader) : NaN;
    if (Number.isNaN(length)) throw new ApiError(400, 'bad_length', 'Upload-Length must be a non-negative integer');
    if (length > options.maxBytes) throw new ApiError(413, 'too_large', `File is larger than ${options.maxBytes} bytes`);
    if (length === 0) throw new ApiError(400, 'empty_file', 'An empty file is not an attachment');
    const meta = readUploadMetadata(typeof h['upload-metadata'] === 'string' ? h['upload-metadata'] : undefined);
    if (!meta.ok) throw new ApiError(400, 'bad_metadata', `Upload-Metadata: ${meta.reason}; send sha256 (hex) and type`);
    if (!isAllowedType(meta.metadata.type)) {
      throw new ApiError(415, 'unsupported_media_type', 'type must be image/jpeg, image/png, image/webp or application/pdf');
    }
    const id = meta.metadata.sha256;
    // Only a file a stored submission of this device names: the store keeps evidence, not
    // whatever a device sends (403, which a phone reads as "not yet": its data may be on its way).
    if (!(await deviceNamesFile(app.db, deviceCredentials(request).deviceId, { sha256: id, size: length }))) {
      throw new ApiError(403, 'not_referenced', 'No submission of this device names this file at this length: push the submission first');
    }
    await keepFloor(length);
    // Two first tries of one file at once would both create, and the second would truncate.
    if (creating.has(id)) throw new ApiError(423, 'upload_busy', 'This file is being created; retry shortly');
    // Claimed before the first await, so a second POST arriving meanwhile sees it.
    creating.add(id);
    const existing = await completeAndGood(id).catch((err: unknown) => {
      creating.delete(id);
      throw err;
    });
    if (!existing) return id;
    creating.delete(id);
    if (existing.size !== length) throw new ApiError(409, 'length_conflict', 'This sha256 is stored with a different Upload-Length');
    void reply
      .code(200)
      .headers({
        'tus-resumable': '1.0.0',
        location: `${basePath}/${existing.id}`,
        'upload-offset': String(existing.offset),
        'upload-length': String(existing.size),
        'access-control-expose-headers': 'Location, Upload-Offset, Upload-Length, Tus-Resumable',
      })
      .send();
    return 'answered';
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // Offsets count stored bytes; a compressed body would make them meaningless (and photos,
    // PDFs are compressed already).
    if (requestEncoding(request) !== 'identity') throw new ApiError(415, 'unsupported_encoding', 'Upload bodies are sent without Content-Encoding');
    if (request.method === 'POST') limitStarts(request, reply);
    if (request.method === 'PATCH') await keepFloor(Number(request.headers['content-length']) || 0);
    const creatingId = request.method === 'POST' ? await checkCreate(request, reply) : undefined;
    if (creatingId === 'answered') return;
    const { id } = request.params as { id?: string };
    if (request.method === 'HEAD' && id !== undefined) await completeAndGood(id);
    // onSend hooks do not run for a hijacked reply, so the shared headers are set here.
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(name, value);
    reply.raw.setHeader('cache-control', 'no-store');
    reply.hijack();
    try {
      await tus.handle(request.raw, reply.raw);
    } finally {
      if (creatingId !== undefined) creating.delete(creatingId);
    }
  };

  // One route per method, so /api/v1/openapi.json can name each operation (tus bodies and headers
  // are not JSON, so the descriptions carry the contract; docs/attachments.md has it in full).
  const upload = `${UPLOADS_PATH}/:id`;
  const checkId = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    if (!isSha256Hex(id)) throw new ApiError(404, 'not_found', 'No such upload');
    if (request.method === 'POST') throw new ApiError(405, 'method_not_allowed', 'POST to the collection');
  };
  const routes: { method: 'POST' | 'HEAD' | 'PATCH' | 'OPTIONS'; url: string; doc?: RouteDoc }[] = [
    { method: 'POST', url: UPLOADS_PATH, doc: UPLOAD_DOCS.create },
    { method: 'OPTIONS', url: UPLOADS_PATH, doc: UPLOAD_DOCS.options },
    { method: 'HEAD', url: UPLOADS_PATH },
    { method: 'PATCH', url: UPLOADS_PATH },
    { method: 'PATCH', url: upload, doc: UPLOAD_DOCS.append },
    { method: 'HEAD', url: upload },
    { method: 'OPTIONS', url: upload },
    { method: 'POST', url: upload },
  ];
  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.url,
      onRequest: authenticate,
      ...(r.url === upload ? { preHandler: checkId } : {}),
      ...(r.doc ? { config: { openapi: r.doc } } : {}),
      handler,
    });
  }
}
