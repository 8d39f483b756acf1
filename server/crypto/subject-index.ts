// The keyed blind index of NIKs: HMAC-SHA256 of the normalised NIK under a key kept outside the
// database. A NIK has little entropy (region, birth date, a serial), so a plain hash would be
// reversed by trying them all; without the key the index says nothing. The key is derived from
// the key-encryption key (JANGKAU_KEK or JANGKAU_KEK_FILE, the same sources and format as the
// encryption at rest, docs/NOTES on server-encrypt), with its own HKDF purpose, so one secret
// outside DATA_DIR guards both.
import { createHmac, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { normaliseNik } from '../../core/privacy/subject-request.ts';

export interface SubjectIndex {
  /** The index of a NIK, or undefined when it is no NIK (16 digits). */
  of(nik: string): string | undefined;
}

const PURPOSE = 'jangkau:subject-index:v1';

/** An index keyed by `key` (32 bytes or more). */
export function subjectIndexFromKey(key: Buffer): SubjectIndex {
  if (key.length < 32) throw new Error('The subject index key must be at least 32 bytes');
  return {
    of(raw) {
      const nik = normaliseNik(raw);
      return nik === undefined ? undefined : createHmac('sha256', key).update(nik).digest('hex');
    },
  };
}

/** The index key derived from a KEK's bytes (HKDF-SHA256, its own purpose). */
export function subjectIndexFromKek(kek: Buffer): SubjectIndex {
  return subjectIndexFromKey(Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), PURPOSE, 32)));
}

/**
 * A development key, used only when no KEK is configured outside production: fixed, so indexes
 * survive restarts of a developer's server; production refuses to start without a KEK.
 */
const DEVELOPMENT_KEK = Buffer.alloc(32, 0x4a);

function decodeKek(text: string, source: string): Buffer {
  const bytes = Buffer.from(text.trim(), 'base64');
  if (bytes.length !== 32) throw new Error(`${source} must hold the base64 of 32 bytes`);
  return bytes;
}

/** The index from the environment: JANGKAU_KEK, then JANGKAU_KEK_FILE; neither: refused in production. */
export function subjectIndexFromEnv(env: NodeJS.ProcessEnv = process.env, warn: (line: string) => void = () => undefined): SubjectIndex {
  const inline = env.JANGKAU_KEK?.trim();
  if (inline) return subjectIndexFromKek(decodeKek(inline, 'JANGKAU_KEK'));
  const file = env.JANGKAU_KEK_FILE?.trim();
  if (file) return subjectIndexFromKek(decodeKek(readFileSync(file, 'utf8'), 'JANGKAU_KEK_FILE'));
  if (env.NODE_ENV === 'production') throw new Error('JANGKAU_KEK or JANGKAU_KEK_FILE is required in production (the NIK index key)');
  warn('No JANGKAU_KEK: the NIK index uses a development key; set JANGKAU_KEK before holding real data');
  return subjectIndexFromKek(DEVELOPMENT_KEK);
}
