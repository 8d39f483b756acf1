// The server's sealing key pairs (ECDH P-256), kept as JWK files under DATA_DIR/keys (mode 0600,
// folder 0700), the private key wrapped by the key-encryption key (kek.ts): a copy of the folder
// without the KEK opens nothing. A file from before wrapping is wrapped on first load. The first
// start makes one; rotation adds a newer one and names it current, and
// the old ones stay so that messages sealed to them (a QR hand-off carried for days, an SMS
// still on its way) still open. Several API processes must see the same folder.
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isWrappedFileContent, openWrappedFileContent, wrappedFileContent, wrappedFileKekId, type KeyEncryptionKey } from './kek.ts';
import { keyIdOf, type SealingKey, type UnsealingKey } from '../../core/sealed/seal.ts';

const EC = { name: 'ECDH', namedCurve: 'P-256' } as const;
const KEY_FILE = /^seal-([0-9a-f]{8})\.jwk\.json$/;
const CURRENT_FILE = 'current';

export interface ServerKey extends UnsealingKey, SealingKey {
  /** When the key was made, ISO 8601. */
  createdAt: string;
}

export interface ServerKeyRing {
  /** The key phones seal to now. */
  current: ServerKey;
  /** Every key still accepted, the current one included, newest first. */
  all: ServerKey[];
}

interface StoredKey {
  kid: string;
  createdAt: string;
  /** The private JWK, wrapped by the KEK (kek.ts wrappedFileContent). */
  sealedJwk?: string;
  /** Before wrapping: the private JWK in the clear (wrapped on first load). */
  jwk?: JsonWebKey;
}

function jwkContext(kid: string): string {
  return `seal-key:${kid}`;
}

/** Replaces a file in one step (temp file, fsync-free rename): readers see the old or the new. */
async function replaceFile(path: string, content: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, content, { mode: 0o600 });
  await rename(temp, path);
}

/** Writes a file that must not be half-read by another process: temp file, then an exclusive link. */
async function writeOnce(path: string, content: string): Promise<boolean> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, content, { mode: 0o600 });
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function newKeyFile(dir: string, kek: KeyEncryptionKey, now: Date): Promise<string> {
  const pair = (await crypto.subtle.generateKey(EC, true, ['deriveBits'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const kid = await keyIdOf(raw);
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const stored: StoredKey = { kid, createdAt: now.toISOString(), sealedJwk: wrappedFileContent(kek, JSON.stringify(jwk), jwkContext(kid)) };
  await writeOnce(join(dir, `seal-${kid}.jwk.json`), JSON.stringify(stored));
  return kid;
}

async function setCurrent(dir: string, kid: string): Promise<void> {
  const temp = join(dir, `${CURRENT_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, `${kid}\n`, { mode: 0o600 });
  await rename(temp, join(dir, CURRENT_FILE));
}

/** The private JWK of a stored key; a file from before wrapping is wrapped now. */
async function privateJwkOf(dir: string, file: string, stored: StoredKey, kek: KeyEncryptionKey): Promise<JsonWebKey> {
  if (stored.sealedJwk !== undefined) return JSON.parse(openWrappedFileContent(kek, stored.sealedJwk, jwkContext(stored.kid))) as JsonWebKey;
  if (stored.jwk === undefined) throw new Error(`key file ${file} holds no key`);
  const wrapped: StoredKey = { kid: stored.kid, createdAt: stored.createdAt, sealedJwk: wrappedFileContent(kek, JSON.stringify(stored.jwk), jwkContext(stored.kid)) };
  await replaceFile(join(dir, file), JSON.stringify(wrapped));
  return stored.jwk;
}

async function loadKey(dir: string, file: string, kek: KeyEncryptionKey): Promise<ServerKey> {
  const stored = JSON.parse(await readFile(join(dir, file), 'utf8')) as StoredKey;
  const privateJwk = await privateJwkOf(dir, file, stored, kek);
  const { d: _private, key_ops: _ops, ...publicJwk } = privateJwk;
  const publicKey = await crypto.subtle.importKey('jwk', publicJwk, EC, true, []);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', publicKey));
  const kid = await keyIdOf(raw);
  if (kid !== stored.kid) throw new Error(`key file ${file} does not hold key ${stored.kid}`);
  const privateKey = await crypto.subtle.importKey('jwk', privateJwk, EC, false, ['deriveBits']);
  return { kid, raw, privateKey, createdAt: stored.createdAt };
}

async function readRing(dir: string, kek: KeyEncryptionKey): Promise<ServerKeyRing | undefined> {
  const files = (await readdir(dir)).filter((f) => KEY_FILE.test(f));
  if (files.length === 0) return undefined;
  const all = await Promise.all(files.map((f) => loadKey(dir, f, kek)));
  all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const named = (await readFile(join(dir, CURRENT_FILE), 'utf8').catch(() => '')).trim();
  const current = all.find((k) => k.kid === named) ?? all[0]!;
  return { current, all };
}

/** The key ring in `dir`, made on first use. */
export async function loadOrCreateServerKeys(dir: string, kek: KeyEncryptionKey, now: Date = new Date()): Promise<ServerKeyRing> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const existing = await readRing(dir, kek);
  if (existing) return existing;
  const kid = await newKeyFile(dir, kek, now);
  // Two processes starting together may both make a key; both read back the same folder, and
  // whichever `current` lands last wins for both on their next load. Either key opens its own.
  await setCurrent(dir, kid);
  const ring = await readRing(dir, kek);
  if (!ring) throw new Error('server key was written but cannot be read back');
  return ring;
}

/** Adds a new key and makes it current; older keys keep opening what was sealed to them. */
export async function rotateServerKey(dir: string, kek: KeyEncryptionKey, now: Date = new Date()): Promise<ServerKeyRing> {
  await loadOrCreateServerKeys(dir, kek, now);
  const kid = await newKeyFile(dir, kek, now);
  await setCurrent(dir, kid);
  const ring = await readRing(dir, kek);
  if (!ring) throw new Error('server key was written but cannot be read back');
  return ring;
}

/** Removes a retired key for good; refuses the current one. */
export async function retireServerKey(dir: string, kek: KeyEncryptionKey, kid: string): Promise<void> {
  const ring = await readRing(dir, kek);
  if (!ring?.all.some((k) => k.kid === kid)) throw new Error(`no key ${kid}`);
  if (ring.current.kid === kid) throw new Error('the current key cannot be retired; rotate first');
  await unlink(join(dir, `seal-${kid}.jwk.json`));
}

/** The public key as base64url of the raw uncompressed point. */
export function publicKeyBase64Url(key: SealingKey): string {
  return Buffer.from(key.raw).toString('base64url');
}

/**
 * Re-wraps every private key and channel secret in `dir` from `from` to `to` (rotate-key). A file
 * already wrapped by `to` is left alone, so an interrupted rotation can simply be run again.
 */
export async function rewrapKeysDir(dir: string, from: KeyEncryptionKey, to: KeyEncryptionKey): Promise<number> {
  let count = 0;
  for (const file of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, file);
    if (KEY_FILE.test(file)) {
      const stored = JSON.parse(await readFile(path, 'utf8')) as StoredKey;
      if (stored.sealedJwk !== undefined && wrappedFileKekId(stored.sealedJwk) === to.id) continue;
      const jwk = stored.sealedJwk !== undefined ? openWrappedFileContent(from, stored.sealedJwk, jwkContext(stored.kid)) : JSON.stringify(stored.jwk);
      await replaceFile(path, JSON.stringify({ kid: stored.kid, createdAt: stored.createdAt, sealedJwk: wrappedFileContent(to, jwk, jwkContext(stored.kid)) }));
      count++;
    } else if (file.endsWith(CHANNEL_SECRET_SUFFIX)) {
      const content = await readFile(path, 'utf8');
      if (isWrappedFileContent(content) && wrappedFileKekId(content) === to.id) continue;
      const secret = isWrappedFileContent(content) ? openWrappedFileContent(from, content, file) : content.trim();
      await replaceFile(path, wrappedFileContent(to, secret, file));
      count++;
    }
  }
  return count;
}

/** Channel-device secrets (channel-device.ts) live in the same folder under this suffix. */
export const CHANNEL_SECRET_SUFFIX = '-device.secret';
