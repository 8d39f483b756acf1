// The key-encryption key (KEK): the one secret that unlocks the personal data at rest. It is
// never kept in DATA_DIR or the database (a stolen disk image or backup of either holds only
// wrapped keys): it is given at start, as JANGKAU_KEK (base64 of 32 bytes) or as a file path in
// JANGKAU_KEK_FILE (a secrets mount, a tmpfs the service manager fills). Other secrets that must be
// out of a database writer's reach (HMAC keys) are random keys stored wrapped by it
// (DataKeys.secretKey), so there is one key to guard, back up and rotate. A KMS or HSM can later
// stand behind the same small interface.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface KeyEncryptionKey {
  /** A short public name of the key (first 8 hex of its sha256), stored beside what it wraps. */
  readonly id: string;
  /** Wraps a key (AES-256-GCM); `context` is bound as associated data and needed to unwrap. */
  wrap(key: Buffer, context: string): Buffer;
  /** Unwraps; throws when the KEK is wrong or the wrapped key or its context was changed. */
  unwrap(wrapped: Buffer, context: string): Buffer;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Random IVs drawn from a pool filled 4 KB at a time: one call into the CSPRNG per ~340 IVs instead
 * of one per sealed value (bench:server spent 8 µs per pushed submission in randomBytes(12)). Each
 * IV is still 96 fresh random bits, used once; the pool is private to this module.
 */
const ivPool = Buffer.alloc(IV_BYTES * 341);
let ivTaken = ivPool.length;

function freshIv(): Buffer {
  if (ivTaken + IV_BYTES > ivPool.length) {
    randomFillSync(ivPool);
    ivTaken = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivTaken, ivTaken + IV_BYTES));
  ivPool.fill(0, ivTaken, ivTaken + IV_BYTES);
  ivTaken += IV_BYTES;
  return iv;
}

/** AES-256-GCM with a fresh random IV: iv | ciphertext | tag. */
export function sealBytes(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export function openBytes(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

export function kekFromBytes(bytes: Buffer): KeyEncryptionKey {
  if (bytes.length !== KEY_BYTES) throw new Error(`a KEK is ${KEY_BYTES} bytes (base64 of 32 random bytes); got ${bytes.length}`);
  const key = Buffer.from(bytes);
  const id = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return {
    id,
    wrap: (plain, context) => sealBytes(key, plain, `kek:${context}`),
    unwrap: (wrapped, context) => openBytes(key, wrapped, `kek:${context}`),
  };
}

/** Parses the base64 form (as in JANGKAU_KEK or a KEK file). */
export function kekFromBase64(text: string, where: string): KeyEncryptionKey {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new Error(`${where}: not base64`);
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  try {
    return kekFromBytes(bytes);
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/** A new KEK in its base64 form, for an operator to store in a secret store. */
export function newKekBase64(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export function kekFromFile(path: string): KeyEncryptionKey {
  return kekFromBase64(readFileSync(path, 'utf8'), `KEK file ${path}`);
}

/** The KEK named by JANGKAU_KEK or JANGKAU_KEK_FILE, if either is set. */
export function kekFromEnv(env: NodeJS.ProcessEnv = process.env): KeyEncryptionKey | undefined {
  const inline = env.JANGKAU_KEK?.trim();
  if (inline) return kekFromBase64(inline, 'JANGKAU_KEK');
  const file = env.JANGKAU_KEK_FILE?.trim();
  return file ? kekFromFile(resolve(file)) : undefined;
}

/** The default development KEK file: a sibling of DATA_DIR, never inside it. */
export function devKekPath(dataDir: string): string {
  return `${resolve(dataDir)}.kek`;
}

export interface LoadKekOptions {
  env?: NodeJS.ProcessEnv;
  /** DATA_DIR: where the development KEK must NOT be, and what its file is named after. */
  dataDir: string;
  warn?: (line: string) => void;
}

/**
 * The KEK given at start. JANGKAU_KEK, then JANGKAU_KEK_FILE. With neither, production
 * (NODE_ENV=production) refuses to start, since a key made on the data's own machine protects
 * nothing against that machine's thief; any other run (the one-command `npm start`, tests)
 * gets a development KEK file beside DATA_DIR, made on first start, with a warning each start.
 */
export function loadKek({ env = process.env, dataDir, warn = (line) => console.warn(line) }: LoadKekOptions): KeyEncryptionKey {
  const inline = env.JANGKAU_KEK?.trim();
  if (inline) return kekFromBase64(inline, 'JANGKAU_KEK');
  const file = env.JANGKAU_KEK_FILE?.trim();
  if (file) {
    const path = resolve(file);
    if (isInside(path, resolve(dataDir))) throw new Error(`JANGKAU_KEK_FILE ${path} lies inside DATA_DIR: keep the key away from the data it locks`);
    return kekFromFile(path);
  }
  if (env.NODE_ENV === 'production') {
    throw new Error('No key-encryption key: set JANGKAU_KEK (base64 of 32 bytes) or JANGKAU_KEK_FILE (see docs/operations.md, "Keys")');
  }
  const path = devKekPath(dataDir);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${newKekBase64()}\n`, { mode: 0o600, flag: 'wx' });
  }
  warn(
    `WARNING: no JANGKAU_KEK or JANGKAU_KEK_FILE set; using the development key-encryption key ${path}. ` +
      'Fine for a trial; in production give the key from a secret store (NODE_ENV=production refuses to start without one).',
  );
  return kekFromFile(path);
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** A secret kept in a file, wrapped by the KEK: what the file holds instead of the secret. */
interface WrappedFile {
  kekId: string;
  wrapped: string;
}

/** The content of a key file holding `secret` wrapped by `kek`; `context` names what it is. */
export function wrappedFileContent(kek: KeyEncryptionKey, secret: string, context: string): string {
  const body: WrappedFile = { kekId: kek.id, wrapped: kek.wrap(Buffer.from(secret, 'utf8'), context).toString('base64') };
  return JSON.stringify(body);
}

export function isWrappedFileContent(content: string): boolean {
  try {
    const parsed = JSON.parse(content) as Partial<WrappedFile>;
    return typeof parsed.kekId === 'string' && typeof parsed.wrapped === 'string';
  } catch {
    return false;
  }
}

/** The secret in a wrapped key file; throws naming the KEK it needs when `kek` is another. */
export function openWrappedFileContent(kek: KeyEncryptionKey, content: string, context: string): string {
  const parsed = JSON.parse(content) as WrappedFile;
  if (parsed.kekId !== kek.id) throw new Error(`${context} is wrapped by KEK ${parsed.kekId}, not by the given KEK ${kek.id}`);
  return kek.unwrap(Buffer.from(parsed.wrapped, 'base64'), context).toString('utf8');
}

/** The KEK id a wrapped key file names. */
export function wrappedFileKekId(content: string): string {
  return (JSON.parse(content) as WrappedFile).kekId;
}
