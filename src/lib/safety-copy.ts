// "Simpan cadangan": every unsent submission written to one passphrase-encrypted file the person
// can keep or move, and read back on any device under the submissions' original ids, so the
// server's idempotency still delivers each exactly once. Imported lazily by the screen that
// offers it; nothing here belongs in the first-load bundle.
import { isUlid } from '../../core/ids.ts';
import { sha256Hex } from '../../core/hash.ts';
import { distinctShas, findFileRefs } from '../../core/forms/file-refs.ts';
import { DeviceLockedError, knownBytes, openStoredFile, storingFiles } from '../db/crypto-at-rest.ts';
import { isQuotaError } from '../db/errors.ts';
import type { AttachmentRow, JangkauDb, OutboxRow, ReceiptRow } from '../db/schema.ts';
import {
  DEFAULT_ITERATIONS,
  encodeHeader,
  FORMAT_VERSION,
  frameBody,
  parseFile,
  passphraseProblem,
  unframeBody,
  type SafetyCopyHeader,
} from './safety-copy-format.ts';
import { fromBase64, toBase64 } from './base64.ts';

/** An attachment carried after the manifest; `bytes` is its length in the body. */
export interface SafetyCopyAttachment {
  sha256: string;
  type: string;
  bytes: number;
}

/** What the encrypted body's manifest holds. */
export interface SafetyCopyManifest {
  format: number;
  exportedAt: string;
  outbox: OutboxRow[];
  receipts: ReceiptRow[];
  /** Files not yet on the server; their bytes follow the manifest in this order. */
  attachments: SafetyCopyAttachment[];
}

export interface SafetyCopy {
  blob: Blob;
  /** Submissions in the file. */
  items: number;
}

export type ImportFailure = 'wrong_passphrase' | 'not_a_safety_copy' | 'newer_format' | 'damaged' | 'quota';

export type ImportResult = { ok: true; imported: number; skipped: number } | { ok: false; reason: ImportFailure };

export const SAFETY_COPY_TYPE = 'application/octet-stream';

// Bytes as WebCrypto wants them: TypeScript's lib types reject a view over a SharedArrayBuffer.
const buf = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

/**
 * 512 bits from PBKDF2: the first half is the AES-GCM key, the second half only yields the
 * passphrase check. One derivation, so checking costs nothing beyond the key itself.
 */
async function deriveKeys(passphrase: string, salt: Uint8Array, iterations: number): Promise<{ key: CryptoKey; check: Uint8Array }> {
  // NFC: the same passphrase typed on two phones' keyboards may arrive composed differently.
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: buf(salt), iterations }, material, 512));
  const key = await crypto.subtle.importKey('raw', bits.subarray(0, 32), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  const check = new Uint8Array(await crypto.subtle.digest('SHA-256', bits.subarray(32))).subarray(0, 16);
  return { key, check };
}

/**
 * Writes every unsent submission (queued and needs_fix, with their envelopes and receipts) to one
 * encrypted file. The passphrase must pass `passphraseProblem` (the screen checks it first; a
 * short one here is a bug, so it throws).
 */
export async function exportSafetyCopy(db: JangkauDb, passphrase: string, now: number = Date.now()): Promise<SafetyCopy> {
  if (passphraseProblem(passphrase)) throw new RangeError('exportSafetyCopy: passphrase too short');
  // One read transaction, so the receipts and files match the rows even while a sync settles some.
  const { outbox, receipts, files } = await db.transaction('r', db.outbox, db.receipts, db.attachments, async () => {
    const rows = await db.outbox.toArray();
    const found = await db.receipts.bulkGet(rows.map((r) => r.id));
    return { outbox: rows, receipts: found.filter((r): r is ReceiptRow => r !== undefined), files: await filesToCarry(db, rows) };
  });
  // Blobs read after the transaction: reading bytes is no IndexedDB request.
  const bytes = await Promise.all(
    files.map(async (f) => {
      const blob = openStoredFile(f.blob);
      if (!blob) throw new DeviceLockedError();
      return new Uint8Array(await blob.arrayBuffer());
    }),
  );
  const attachments = files.map((f, i) => ({ sha256: f.sha256, type: f.type, bytes: bytes[i]!.length }));
  const manifest: SafetyCopyManifest = { format: FORMAT_VERSION, exportedAt: new Date(now).toISOString(), outbox, receipts, attachments };

  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const iterations = DEFAULT_ITERATIONS;
  const { key, check } = await deriveKeys(passphrase, salt, iterations);
  const header: SafetyCopyHeader = {
    v: FORMAT_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: toBase64(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64(iv) },
    check: toBase64(check),
  };
  const headerBytes = encodeHeader(header);
  // The clear header is authenticated too: lowering its iteration count or swapping its salt
  // makes the file fail to open rather than open weaker.
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: buf(headerBytes) }, key, buf(frameBody(manifest, bytes)));
  return { blob: new Blob([buf(headerBytes), ciphertext], { type: SAFETY_COPY_TYPE }), items: outbox.length };
}

/**
 * The files the server does not have yet and this device still holds: those of the exported
 * submissions, and those whose submission already went while the file did not. Files the server
 * has, or refused, stay behind.
 */
async function filesToCarry(db: JangkauDb, outbox: readonly OutboxRow[]): Promise<AttachmentRow[]> {
  const referenced = distinctShas(outbox.flatMap((r) => findFileRefs(r.envelope.data)));
  const pending = await db.attachments.where('state').anyOf(['waiting', 'uploading']).toArray();
  const byId = new Map<string, AttachmentRow>();
  for (const row of await db.attachments.bulkGet(referenced)) if (row) byId.set(row.sha256, row);
  for (const row of pending) byId.set(row.sha256, row);
  return [...byId.values()].filter((r) => r.blob && r.state !== 'done' && r.state !== 'rejected').sort((a, b) => a.createdAt - b.createdAt);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The decrypted manifest is authenticated, but a bug in some version could still have written nonsense. */
function readManifest(value: unknown): SafetyCopyManifest | undefined {
  if (!isObject(value) || value.format !== FORMAT_VERSION) return undefined;
  const { outbox, receipts, attachments } = value;
  if (!Array.isArray(outbox) || !Array.isArray(receipts) || !Array.isArray(attachments)) return undefined;
  for (const row of outbox) {
    if (!isObject(row) || !isUlid(row.id) || !isObject(row.envelope) || row.envelope.id !== row.id) return undefined;
    if (row.state !== 'queued' && row.state !== 'needs_fix') return undefined;
  }
  for (const r of receipts) if (!isObject(r) || !isUlid(r.id)) return undefined;
  for (const a of attachments) {
    if (!isObject(a) || typeof a.sha256 !== 'string' || typeof a.type !== 'string' || !Number.isSafeInteger(a.bytes) || (a.bytes as number) < 0) return undefined;
  }
  return value as unknown as SafetyCopyManifest;
}

/**
 * Reads a safety copy into this device's queue. Never throws for a bad file or passphrase: the
 * answer says what went wrong. Items keep their ids and envelopes; an id this device already holds
 * (queued, needing a fix, or already sent) is skipped and left exactly as it was. All or nothing:
 * one transaction.
 */
export async function importSafetyCopy(db: JangkauDb, file: Blob, passphrase: string, now: number = Date.now()): Promise<ImportResult> {
  const parsed = parseFile(new Uint8Array(await file.arrayBuffer()));
  if (!parsed.ok) return parsed;
  const { header, headerBytes, ciphertext } = parsed;
  // parseFile checked that these decode.
  const salt = fromBase64(header.kdf.salt) ?? new Uint8Array();
  const iv = fromBase64(header.cipher.iv) ?? new Uint8Array();
  const { key, check } = await deriveKeys(passphrase, salt, header.kdf.iterations);
  if (!sameBytes(check, fromBase64(header.check) ?? new Uint8Array())) return { ok: false, reason: 'wrong_passphrase' };

  let body: Uint8Array;
  try {
    body = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: buf(iv), additionalData: buf(headerBytes) }, key, buf(ciphertext)));
  } catch {
    // The passphrase was right, so a failed tag means the bytes changed.
    return { ok: false, reason: 'damaged' };
  }
  const framed = unframeBody(body);
  const manifest = framed ? readManifest(framed.manifest) : undefined;
  // The bytes after the manifest must be exactly the listed attachments, nothing more or less.
  if (!framed || !manifest || framed.rest.length !== manifest.attachments.reduce((n, a) => n + a.bytes, 0)) return { ok: false, reason: 'damaged' };
  // Each file must be the bytes its hash names; the hash is its key here and on the server.
  const files: { sha256: string; type: string; blob: Blob }[] = [];
  let at = 0;
  for (const a of manifest.attachments) {
    const bytes = framed.rest.slice(at, at + a.bytes);
    at += a.bytes;
    if ((await sha256Hex(bytes)) !== a.sha256) return { ok: false, reason: 'damaged' };
    // The bytes are at hand: on an officer's device the import's transaction seals them.
    files.push({ sha256: a.sha256, type: a.type, blob: knownBytes(new Blob([buf(bytes)], { type: a.type }), bytes) });
  }

  const receiptsById = new Map(manifest.receipts.map((r) => [r.id, r]));
  try {
    // All or nothing, so a write refused for its Blobs (WebKit, ephemeral) can be made again as bytes.
    return await storingFiles(files.map((f) => f.blob), () => db.transaction('rw', db.outbox, db.receipts, db.attachments, async (): Promise<ImportResult> => {
      const ids = manifest.outbox.map((r) => r.id);
      const [held, receipted] = await Promise.all([db.outbox.bulkGet(ids), db.receipts.bulkGet(ids)]);
      const rows: OutboxRow[] = [];
      const receipts: ReceiptRow[] = [];
      const seen = new Set<string>();
      let skipped = 0;
      manifest.outbox.forEach((row, i) => {
        // A receipt without an outbox row means this device already sent it: never queue it again.
        if (held[i] || receipted[i] || seen.has(row.id)) {
          skipped++;
          return;
        }
        seen.add(row.id);
        // Tries and errors belonged to the other device's link; this one starts fresh.
        const { lastError: _lastError, ...rest } = row;
        rows.push({ ...rest, attempts: 0, queuedAt: row.queuedAt || now });
        const copied = receiptsById.get(row.id);
        receipts.push({
          ...(copied ?? { id: row.id, formId: row.envelope.formId, formVersion: row.envelope.formVersion, title: '', createdAt: row.queuedAt || now }),
          state: row.state,
        });
      });
      if (rows.length > 0) {
        await db.outbox.bulkAdd(rows);
        await db.receipts.bulkAdd(receipts);
      }
      await storeImportedFiles(db, files, manifest.outbox.filter((_, i) => !receipted[i] || held[i]), now);
      return { ok: true, imported: rows.length, skipped };
    }));
  } catch (error) {
    if (isQuotaError(error)) return { ok: false, reason: 'quota' };
    throw error;
  }
}

/**
 * Inside the import's transaction: each carried file is stored under its sha256 and made part of
 * the submissions on this device that refer to it. A file nobody here refers to (its submission
 * went from the other phone) waits on its own and is uploaded by the next sync. A file this device
 * already has keeps its state; a file the server already has is not stored again.
 */
async function storeImportedFiles(
  db: JangkauDb,
  files: readonly { sha256: string; type: string; blob: Blob }[],
  queued: readonly OutboxRow[],
  now: number,
): Promise<void> {
  if (files.length === 0) return;
  const refsBySha = new Map<string, string[]>();
  for (const row of queued) {
    for (const sha of distinctShas(findFileRefs(row.envelope.data))) refsBySha.set(sha, [...(refsBySha.get(sha) ?? []), row.id]);
  }
  const existing = await db.attachments.bulkGet(files.map((f) => f.sha256));
  const put: AttachmentRow[] = [];
  files.forEach((f, i) => {
    const refs = refsBySha.get(f.sha256) ?? [];
    const held = existing[i];
    if (held) {
      if (held.state === 'done') return;
      put.push({
        ...held,
        refs: [...new Set([...held.refs, ...refs])],
        ...(held.blob ? {} : { blob: f.blob }),
        // Chosen in a draft here, but the other phone filed it: it now waits to be sent.
        state: held.state === 'draft' ? 'waiting' : held.state,
      });
      return;
    }
    put.push({ sha256: f.sha256, type: f.type, size: f.blob.size, blob: f.blob, state: 'waiting', refs, bytesSent: 0, createdAt: now });
  });
  if (put.length > 0) await db.attachments.bulkPut(put);
}
