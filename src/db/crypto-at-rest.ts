// Encryption at rest of the personal data an officer's device holds: a Dexie middleware hands the
// rows of drafts, the outbox and receipts to a codec that seals their sensitive fields on the way
// into IndexedDB and opens them on the way out (the codec and its key: src/auth/at-rest-codec.ts,
// installed when the PIN unlocks the device key). Photos and documents (the attachments' `blob`
// and `thumb`) are sealed on the way in too, but stay sealed when read: metadata reads (the upload
// queue, a request's files) then cost no decryption, and the few readers of the bytes (the upload,
// a preview, the safety copy) open them with openStoredFile, which gives nothing while locked.
//
// Where the engine refuses a Blob in IndexedDB (WebKit in an ephemeral session: a private window,
// or WebKitWebDriver's session), a resident's files are stored as their bytes (BytesFile, an
// ArrayBuffer) instead: the first refused write switches this page to it and is tried once more
// (storingFiles), and every reader opens both forms (openStoredFile).
//
// Why a middleware and a synchronous codec: those rows are written inside Dexie transactions all
// over src/db/, and an IndexedDB transaction commits as soon as it waits on anything that is not
// an IndexedDB request, such as a WebCrypto promise. This file is only the plumbing, on the
// resident's first-load path; a resident's device (no PIN, no codec) stores rows as before.
import type { DBCore, DBCoreCursor, DBCoreTable, Middleware } from 'dexie';

export interface AtRestCodec {
  sealRow(table: string, row: unknown): unknown;
  openRow(table: string, row: unknown): unknown;
  /** A file's bytes, sealed (nonce in front) and opened again. */
  sealBytes(bytes: Uint8Array): Uint8Array;
  /** `toDevicePk`: sealed by a locked device's codec (SealedFile.pk). */
  openBytes(sealed: Uint8Array, toDevicePk?: boolean): Uint8Array;
  /** A locked device's codec: it seals to the device's public key and opens nothing. */
  readonly toDevicePk?: boolean;
}

/** A sealed text field starts with this (a control character no form text contains). */
export const SEALED_TEXT_PREFIX = '\u0001sealed:';

/** The marker a sealed object field is replaced with: `{ '~sealed': '<base64 of nonce|ciphertext>' }`. */
export const SEALED_KEY = '~sealed';

// assignment: the downloaded coklit voter lists (src/db/assignment.ts).
const GUARDED = new Set(['drafts', 'outbox', 'receipts', 'attachments', 'assignment']);

/** A photo or document as an officer's device stores it: its bytes sealed with the device key. */
export interface SealedFile {
  [SEALED_KEY]: Uint8Array;
  type: string;
  /** Sealed while the device was locked, to its public key (src/auth/device-seal.ts). */
  pk?: true;
}
/** A resident's file where the engine refuses Blobs in IndexedDB: its bytes in the clear. */
export interface BytesFile {
  [BYTES_KEY]: ArrayBuffer;
  type: string;
}
export const BYTES_KEY = '~bytes';
/** An attachment's bytes as stored: as chosen (a resident's device), or as bytes where Blobs are refused, or sealed (an officer's). */
export type StoredFile = Blob | BytesFile | SealedFile;

const FILE_FIELDS = ['blob', 'thumb'] as const;
/** Bytes of new files, read before the transaction that stores them (readyToStore). */
const plainBytes = new WeakMap<Blob, Uint8Array>();

let codec: AtRestCodec | undefined;
/** While locked: seals to the device's public key, so nothing personal is written in the clear. */
let lockedCodec: AtRestCodec | undefined;
/** Set while an officer's PIN lock exists on this device: then no new personal data is written plain. */
let required = false;
/** Set once this engine refused a Blob in IndexedDB: a resident's new files are stored as BytesFile. */
let filesAsBytes = false;

export function setAtRestCodec(next: AtRestCodec | undefined): void {
  codec = next;
}

/**
 * The locked device's codec (src/auth/at-rest-codec.ts lockedCodecFor), installed wherever the
 * database opens on a device with a PIN (src/db/open-db.ts), so page and worker alike seal what they
 * write while the device key is not in memory.
 */
export function setLockedCodec(next: AtRestCodec | undefined): void {
  lockedCodec = next;
}

/** Once a PIN protects this device, filing or drafting without the key is refused. */
export function requireAtRestCodec(on: boolean): void {
  required = on;
}

/** Stores a resident's new files as their bytes from now on (set by storingFiles after a refusal; tests reset it). */
export function setFilesAsBytes(on: boolean): void {
  filesAsBytes = on;
}

/**
 * A record kept outside the guarded tables (the officer's session in `meta`), sealed as the codec
 * seals `table`'s rows: with the device key when unlocked, to the device's public key when locked,
 * as it is on a device with no PIN.
 */
export function sealRecord<T>(table: string, row: T): T {
  const c = codec ?? lockedCodec;
  return (c ? c.sealRow(table, row) : row) as T;
}

/** The same record opened; its sealed fields stay sealed while the device is locked. */
export function openRecord<T>(table: string, row: T): T {
  return (codec ? codec.openRow(table, row) : row) as T;
}

export const isSealedText = (v: unknown): v is string => typeof v === 'string' && v.startsWith(SEALED_TEXT_PREFIX);

export class DeviceLockedError extends Error {
  constructor() {
    super('The device is locked: unlock it with the PIN before writing personal data');
    this.name = 'DeviceLockedError';
  }
}

/** Gives the bytes of a file about to be stored, already read, so its transaction can seal it. */
export function knownBytes(blob: Blob, bytes: Uint8Array): Blob {
  plainBytes.set(blob, bytes);
  return blob;
}

/**
 * Before the transaction that stores a new file: its bytes are read now, because sealing happens
 * inside that transaction, which cannot wait for a Blob to be read. Nothing to do on a resident's
 * device (no PIN): its files are stored as they are.
 */
export async function readyToStore(blob: Blob): Promise<void> {
  if ((codec || lockedCodec || required || filesAsBytes) && !plainBytes.has(blob)) knownBytes(blob, new Uint8Array(await blob.arrayBuffer()));
}

/** The engine refused to clone a Blob into IndexedDB (WebKit, ephemeral: DataCloneError; older WebKit: UnknownError). */
function refusedBlob(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { name, message, inner } = e as { name?: unknown; message?: unknown; inner?: unknown };
    if (name === 'DataCloneError' || (name === 'UnknownError' && /blob/i.test(String(message)))) return true;
    e = inner;
  }
  return false;
}

/**
 * Writes new files (`write` stores rows holding `files`), their bytes read first (readyToStore). If
 * the engine refuses to keep a Blob, this page stores files as their bytes from then on, and the
 * write is made once more; any other failure (a full disk, a locked device) is the caller's.
 */
export async function storingFiles<T>(files: readonly (Blob | undefined)[], write: () => Promise<T>): Promise<T> {
  const blobs = files.filter((f): f is Blob => f !== undefined);
  for (const blob of blobs) await readyToStore(blob);
  try {
    return await write();
  } catch (error) {
    if (filesAsBytes || blobs.length === 0 || !refusedBlob(error)) throw error;
    filesAsBytes = true;
    for (const blob of blobs) await readyToStore(blob);
    return write();
  }
}

export function isBytesFile(v: unknown): v is BytesFile {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)[BYTES_KEY] instanceof ArrayBuffer;
}

export function isSealedFile(v: unknown): v is SealedFile {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SEALED_KEY] instanceof Uint8Array;
}

/** Whether openStoredFile would give the bytes now: a sealed file waits for the unlock. */
export function canOpenFile(file: StoredFile | undefined): boolean {
  return file !== undefined && (!isSealedFile(file) || codec !== undefined);
}

/** A stored file's bytes to send or show: opened with the device key; undefined while locked. */
export function openStoredFile(file: StoredFile | undefined): Blob | undefined {
  if (isBytesFile(file)) {
    // Its bytes known, so storing the opened file again (a wipe, a fix) needs no read.
    const bytes = new Uint8Array(file[BYTES_KEY]);
    return knownBytes(new Blob([bytes], { type: file.type }), bytes);
  }
  if (!isSealedFile(file)) return file;
  if (!codec) return undefined;
  const bytes = new Uint8Array(codec.openBytes(file[SEALED_KEY], file.pk === true));
  return knownBytes(new Blob([bytes], { type: file.type }), bytes);
}

/** A file in the clear and its bytes, if they are at hand: a BytesFile, or a Blob read by readyToStore. */
function clearBytes(file: unknown): { bytes: Uint8Array; type: string } | undefined {
  if (isBytesFile(file)) return { bytes: new Uint8Array(file[BYTES_KEY]), type: file.type };
  const bytes = file instanceof Blob ? plainBytes.get(file) : undefined;
  return bytes && file instanceof Blob ? { bytes, type: file.type } : undefined;
}

/** An attachment row with its files in the clear sealed; a file already sealed (or a Blob whose bytes were never read) is left. */
function sealFiles(c: AtRestCodec, row: unknown): unknown {
  if (typeof row !== 'object' || row === null) return row;
  let out = row as Record<string, unknown>;
  for (const field of FILE_FIELDS) {
    const clear = clearBytes(out[field]);
    if (!clear) continue;
    const sealed: SealedFile = { [SEALED_KEY]: c.sealBytes(clear.bytes), type: clear.type, ...(c.toDevicePk ? { pk: true as const } : {}) };
    out = { ...out, [field]: sealed };
  }
  return out;
}

/** A resident's row where the engine refuses Blobs: its new files (Blobs read by readyToStore) as a copy of their bytes. */
function filesToBytes(row: unknown): unknown {
  if (typeof row !== 'object' || row === null) return row;
  let out = row as Record<string, unknown>;
  for (const field of FILE_FIELDS) {
    const file = out[field];
    const bytes = file instanceof Blob ? plainBytes.get(file) : undefined;
    if (file instanceof Blob && bytes) out = { ...out, [field]: { [BYTES_KEY]: bytes.slice().buffer, type: file.type } satisfies BytesFile };
  }
  return out;
}

const holdsPlainFile = (row: unknown): boolean =>
  typeof row === 'object' && row !== null && FILE_FIELDS.some((f) => (row as Record<string, unknown>)[f] instanceof Blob || isBytesFile((row as Record<string, unknown>)[f]));

/** Whether an object field holds sealed data (the row was written under a device key). */
export function isSealedObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[SEALED_KEY] === 'string';
}

/**
 * The cursor with its rows opened. Dexie's cursor is the browser's IDBCursor itself, whose getters
 * (key, primaryKey) refuse any other `this`: an object inheriting from it fails in Chromium
 * ("Illegal invocation", e.g. in every `anyOf` read or `modify`), so everything but `value` is
 * read from, and called on, the cursor itself.
 */
function openingCursor(cursor: DBCoreCursor, open: (row: unknown) => unknown): DBCoreCursor {
  return new Proxy(cursor, {
    get(target, prop) {
      if (prop === 'value') return open(target.value);
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
    },
  });
}

function wrapTable(down: DBCoreTable): DBCoreTable {
  const name = down.name;
  if (!GUARDED.has(name)) return down;
  const open = (row: unknown) => (codec && row !== undefined ? codec.openRow(name, row) : row);
  const mutate: DBCoreTable['mutate'] = (req) => {
    if (req.type !== 'add' && req.type !== 'put') return down.mutate(req);
    const c = codec;
    const seal = name === 'attachments' ? sealFiles : (k: AtRestCodec, v: unknown) => k.sealRow(name, v);
    if (c) return down.mutate({ ...req, values: req.values.map((v) => seal(c, v)) });
    // Locked: drafts, new submissions and new files come only from the (hidden) form screen;
    // updates (a pull's status or answer on a receipt, a file's progress) are sealed to the device's
    // public key: what is already sealed stays as it is, anything new in them is sealed (#11.9).
    const plainFile = name === 'attachments' && req.values.some(holdsPlainFile);
    if (required && (name === 'drafts' || req.type === 'add' || plainFile)) return Promise.reject(new DeviceLockedError());
    const locked = lockedCodec;
    if (locked) return down.mutate({ ...req, values: req.values.map((v) => seal(locked, v)) });
    if (name === 'attachments' && filesAsBytes) return down.mutate({ ...req, values: req.values.map(filesToBytes) });
    return down.mutate(req);
  };
  // Files stay sealed when read (openStoredFile opens them where the bytes are needed), so reads
  // of attachments pass straight through, cursors included.
  if (name === 'attachments') return { ...down, mutate };
  return {
    ...down,
    mutate,
    async get(req) {
      return open(await down.get(req));
    },
    async getMany(req) {
      return (await down.getMany(req)).map(open);
    },
    async query(req) {
      const res = await down.query(req);
      return req.values && codec ? { ...res, result: res.result.map(open) } : res;
    },
    async openCursor(req) {
      const cursor = await down.openCursor(req);
      if (!cursor || req.values === false) return cursor;
      return openingCursor(cursor, open);
    },
  };
}

export const atRestMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'jangkau-at-rest',
  create: (down) => ({ ...down, table: (name: string) => wrapTable(down.table(name)) }),
};
