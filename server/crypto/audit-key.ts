// The key of the audit chain's HMAC. Whoever can write the database must not be able to re-hash a
// rewritten chain, so the key is never kept in DATA_DIR or the database: it is given at start as
// JANGKAU_AUDIT_KEY (base64 of 32 random bytes) or as a file path in JANGKAU_AUDIT_KEY_FILE (a
// secrets mount). In production a missing key stops the start; elsewhere a development key file
// is made beside DATA_DIR (never inside it) with a warning.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const AUDIT_KEY_ENV = 'JANGKAU_AUDIT_KEY';
export const AUDIT_KEY_FILE_ENV = 'JANGKAU_AUDIT_KEY_FILE';
const KEY_BYTES = 32;

export function auditKeyFromBase64(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new Error(`${where}: not base64`);
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${where}: an audit key is ${KEY_BYTES} bytes (base64 of 32 random bytes); got ${key.length}`);
  return key;
}

/** A new key in its base64 form, for an operator to put in a secret store. */
export function newAuditKeyBase64(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** The development key file: a sibling of DATA_DIR, so a copy of DATA_DIR does not carry it. */
export function devAuditKeyPath(dataDir: string): string {
  return `${resolve(dataDir)}.audit-key`;
}

export interface LoadAuditKeyOptions {
  env?: NodeJS.ProcessEnv;
  dataDir: string;
  warn?: (line: string) => void;
}

export function loadAuditKey({ env = process.env, dataDir, warn = (line) => console.warn(line) }: LoadAuditKeyOptions): Buffer {
  const inline = env[AUDIT_KEY_ENV]?.trim();
  if (inline) return auditKeyFromBase64(inline, AUDIT_KEY_ENV);
  const file = env[AUDIT_KEY_FILE_ENV]?.trim();
  if (file) return auditKeyFromBase64(readFileSync(file, 'utf8'), `audit key file ${file}`);
  if (env.NODE_ENV === 'production') {
    throw new Error(`no audit key: set ${AUDIT_KEY_ENV} or ${AUDIT_KEY_FILE_ENV} (docs/operations.md, "Audit key")`);
  }
  const path = devAuditKeyPath(dataDir);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${newAuditKeyBase64()}\n`, { mode: 0o600, flag: 'wx' });
  }
  warn(`WARNING: audit chain keyed by the development key file ${path}; set ${AUDIT_KEY_ENV} or ${AUDIT_KEY_FILE_ENV} in production`);
  return auditKeyFromBase64(readFileSync(path, 'utf8'), `audit key file ${path}`);
}
