// Backups are encrypted to a recipient public key (X25519): whoever holds a backup file but not
// the backup identity (the private key, kept offline by the province) reads nothing, and the
// server that writes backups cannot read them back either. One file holds the database copy and
// the (KEK-wrapped) sealing keys folder, so no key is ever copied in the clear.
//
// Format: `JNGB1\n`, a 4-byte length, a JSON header (ephemeral public key, recipient id, IV, the
// entries' names and sizes), then the entries' bytes concatenated under AES-256-GCM and its
// 16-byte tag. The key is HKDF-SHA256 over the X25519 secret of a fresh ephemeral key and the
// recipient; the header is the associated data, so no entry can be renamed or resized unnoticed.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

const MAGIC = Buffer.from('JNGB1\n', 'ascii');
const TAG_BYTES = 16;
const CHUNK = 1024 * 1024;

interface BackupHeader {
  v: 1;
  /** The ephemeral X25519 public key, SPKI DER, base64. */
  epk: string;
  /** Which recipient key it was made for (first 16 hex of the sha256 of its SPKI). */
  rid: string;
  iv: string;
  entries: { name: string; size: number }[];
}

export interface BackupEntry {
  /** Name inside the backup: 'jangkau.sqlite', 'keys/seal-….jwk.json'. */
  name: string;
  path: string;
}

export function recipientId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** A new backup key pair, as PEM: the public half goes to the server, the private half offline. */
export function generateBackupKeyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function readRecipient(path: string): KeyObject {
  const key = createPublicKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'x25519') throw new Error(`${path} is not an X25519 public key (make one with backup-keygen)`);
  return key;
}

export function readIdentity(path: string): KeyObject {
  const key = createPrivateKey(readFileSync(path));
  if (key.asymmetricKeyType !== 'x25519') throw new Error(`${path} is not an X25519 private key`);
  return key;
}

function fileKey(secret: Buffer, epk: Buffer, rid: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, epk, `jangkau-backup-v1:${rid}`, 32));
}

export function isEncryptedBackup(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    return readSync(fd, head, 0, MAGIC.length, 0) === MAGIC.length && head.equals(MAGIC);
  } finally {
    closeSync(fd);
  }
}

/** Writes the entries, encrypted to `recipient`, into `target` (a new file); the caller fsyncs and renames. */
export function writeEncryptedBackup(target: string, recipient: KeyObject, entries: readonly BackupEntry[]): void {
  const ephemeral = generateKeyPairSync('x25519');
  const epk = ephemeral.publicKey.export({ type: 'spki', format: 'der' });
  const rid = recipientId(recipient);
  const iv = randomBytes(12);
  const header: BackupHeader = {
    v: 1,
    epk: epk.toString('base64'),
    rid,
    iv: iv.toString('base64'),
    entries: entries.map((e) => ({ name: e.name, size: statSync(e.path).size })),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  const cipher = createCipheriv('aes-256-gcm', fileKey(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient }), epk, rid), iv);
  cipher.setAAD(headerBytes);
  const out = openSync(target, 'wx', 0o600);
  try {
    writeSync(out, Buffer.concat([MAGIC, length, headerBytes]));
    const buf = Buffer.alloc(CHUNK);
    for (const [i, entry] of entries.entries()) {
      const fd = openSync(entry.path, 'r');
      try {
        let left = header.entries[i]!.size;
        while (left > 0) {
          const n = readSync(fd, buf, 0, Math.min(CHUNK, left), null);
          if (n === 0) throw new Error(`${entry.path} shrank while it was being backed up`);
          writeSync(out, cipher.update(buf.subarray(0, n)));
          left -= n;
        }
      } finally {
        closeSync(fd);
      }
    }
    writeSync(out, cipher.final());
    writeSync(out, cipher.getAuthTag());
  } finally {
    closeSync(out);
  }
}

/**
 * Opens an encrypted backup with the identity into `outDir` (made empty), returning the entries'
 * paths. Nothing is returned unless the whole file authenticates; on any failure `outDir` is removed.
 */
export function readEncryptedBackup(source: string, identity: KeyObject, outDir: string): BackupEntry[] {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const fd = openSync(source, 'r');
  try {
    const total = statSync(source).size;
    const fixed = Buffer.alloc(MAGIC.length + 4);
    if (readSync(fd, fixed, 0, fixed.length, 0) !== fixed.length || !fixed.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an encrypted Jangkau backup');
    const headerLength = fixed.readUInt32BE(MAGIC.length);
    if (headerLength > 1024 * 1024 || fixed.length + headerLength + TAG_BYTES > total) throw new Error('the backup header is damaged');
    const headerBytes = Buffer.alloc(headerLength);
    readSync(fd, headerBytes, 0, headerLength, fixed.length);
    const header = JSON.parse(headerBytes.toString('utf8')) as BackupHeader;
    const publicOfIdentity = createPublicKey(identity);
    if (header.rid !== recipientId(publicOfIdentity)) throw new Error(`the backup was made for recipient ${header.rid}, not for this identity (${recipientId(publicOfIdentity)})`);
    const epk = Buffer.from(header.epk, 'base64');
    const secret = diffieHellman({ privateKey: identity, publicKey: createPublicKey({ key: epk, format: 'der', type: 'spki' }) });
    const decipher = createDecipheriv('aes-256-gcm', fileKey(secret, epk, header.rid), Buffer.from(header.iv, 'base64'));
    decipher.setAAD(headerBytes);
    const bodyStart = fixed.length + headerLength;
    const bodyLength = total - bodyStart - TAG_BYTES;
    if (header.entries.reduce((n, e) => n + e.size, 0) !== bodyLength) throw new Error('the backup is truncated or damaged');
    const tag = Buffer.alloc(TAG_BYTES);
    readSync(fd, tag, 0, TAG_BYTES, total - TAG_BYTES);
    decipher.setAuthTag(tag);
    const buf = Buffer.alloc(CHUNK);
    let position = bodyStart;
    const written: BackupEntry[] = [];
    for (const entry of header.entries) {
      if (entry.name.split('/').some((part) => part === '..' || part === '') || entry.name.startsWith('/')) throw new Error(`bad entry name ${entry.name}`);
      const path = join(outDir, entry.name);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const out = openSync(path, 'wx', 0o600);
      try {
        let left = entry.size;
        while (left > 0) {
          const n = readSync(fd, buf, 0, Math.min(CHUNK, left), position);
          if (n === 0) throw new Error('the backup is truncated');
          position += n;
          left -= n;
          writeSync(out, decipher.update(buf.subarray(0, n)));
        }
      } finally {
        closeSync(out);
      }
      written.push({ name: entry.name, path });
    }
    try {
      decipher.final();
    } catch {
      throw new Error('the backup does not authenticate: damaged, or changed after it was made');
    }
    return written;
  } catch (err) {
    rmSync(outDir, { recursive: true, force: true });
    throw err;
  } finally {
    closeSync(fd);
  }
}
