// Encryption at rest of the personal data an officer's device holds: a Dexie middleware seals the
// sensitive fields of drafts, outbox rows and receipts on their way into IndexedDB and opens them
// on their way out, with the device key the PIN unlocks (src/auth/device-key.ts).
//
// Why a middleware and a synchronous cipher: drafts, the outbox and receipts are written inside
// Dexie transactions all over src/db/, and an IndexedDB transaction commits as soon as it waits on
// anything that is not an IndexedDB request, such as a WebCrypto promise. So the cipher installed
// here is synchronous (AES-GCM from @noble/ciphers), loaded lazily with the officer screens; this
// file holds only the plumbing, and a resident's device (no PIN, no cipher) stores rows as before.
import type { DBCore, DBCoreCursor, DBCoreTable, Middleware } from 'dexie';

/** Seals and opens text; both throw on failure. Installed by the officer's unlock. */
export interface AtRestCipher {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** The marker a sealed object field is replaced with: `{ '~sealed': '<base64 of nonce|ciphertext>' }`. */
export const SEALED_KEY = '~sealed';
/** A sealed text field starts with this (a control character no form text can contain). */
export const SEALED_TEXT_PREFIX = '\u0001sealed:';

let cipher: AtRestCipher | undefined;
/** Set while an officer's PIN lock exists on this device: then no sensitive field is written plain. */
let required = false;

export function setAtRestCipher(next: AtRestCipher | undefined): void {
  cipher = next;
}

export function hasAtRestCipher(): boolean {
  return cipher !== undefined;
}

/** Once a PIN protects this device, writing a sensitive field without the key is refused. */
export function requireAtRestCipher(on: boolean): void {
  required = on;
}

export class DeviceLockedError extends Error {
  constructor() {
    super('The device is locked: unlock it with the PIN before writing personal data');
    this.name = 'DeviceLockedError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether an object field holds sealed data (the row was written under a device key). */
export function isSealedObject(v: unknown): v is { [SEALED_KEY]: string } {
  return isRecord(v) && typeof v[SEALED_KEY] === 'string';
}

function isSealedText(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(SEALED_TEXT_PREFIX);
}

// ---- Field paths per table: [object path, kind]. Only the fields that carry what a person wrote.

type FieldKind = 'object' | 'text';
type FieldPath = { path: readonly string[]; kind: FieldKind };

const SENSITIVE: Readonly<Record<string, readonly FieldPath[]>> = {
  drafts: [{ path: ['data'], kind: 'object' }],
  outbox: [{ path: ['envelope', 'data'], kind: 'object' }],
  receipts: [
    { path: ['title'], kind: 'text' },
    { path: ['answer'], kind: 'text' },
  ],
};

function sealValue(value: unknown, kind: FieldKind, c: AtRestCipher): unknown {
  if (kind === 'object') return isSealedObject(value) ? value : { [SEALED_KEY]: c.seal(JSON.stringify(value)) };
  return isSealedText(value) || typeof value !== 'string' ? value : SEALED_TEXT_PREFIX + c.seal(value);
}

function openValue(value: unknown, kind: FieldKind, c: AtRestCipher): unknown {
  if (kind === 'object') return isSealedObject(value) ? (JSON.parse(c.open(value[SEALED_KEY])) as unknown) : value;
  return isSealedText(value) ? c.open(value.slice(SEALED_TEXT_PREFIX.length)) : value;
}

/** A copy of `row` with the field at `path` mapped; the caller's object is never changed. */
function mapAt(row: unknown, path: readonly string[], fn: (v: unknown) => unknown): unknown {
  if (!isRecord(row)) return row;
  const [head, ...rest] = path;
  if (head === undefined || !(head in row)) return row;
  const next = rest.length === 0 ? fn(row[head]) : mapAt(row[head], rest, fn);
  return next === row[head] ? row : { ...row, [head]: next };
}

function hasPlainField(row: unknown, fields: readonly FieldPath[]): boolean {
  return fields.some(({ path, kind }) => {
    let v: unknown = row;
    for (const key of path) v = isRecord(v) ? v[key] : undefined;
    if (v === undefined) return false;
    return kind === 'object' ? !isSealedObject(v) : typeof v === 'string' && !isSealedText(v);
  });
}

export function sealRow(table: string, row: unknown): unknown {
  const fields = SENSITIVE[table];
  if (!fields) return row;
  const c = cipher;
  if (!c) {
    if (required && hasPlainField(row, fields)) throw new DeviceLockedError();
    return row;
  }
  return fields.reduce<unknown>((r, { path, kind }) => mapAt(r, path, (v) => sealValue(v, kind, c)), row);
}

export function openRow(table: string, row: unknown): unknown {
  const fields = SENSITIVE[table];
  const c = cipher;
  // Locked (or a resident's device): sealed fields stay sealed; screens are behind the lock.
  if (!fields || !c || row === undefined) return row;
  return fields.reduce<unknown>((r, { path, kind }) => mapAt(r, path, (v) => openValue(v, kind, c)), row);
}

function wrapCursor(table: string, cursor: DBCoreCursor): DBCoreCursor {
  return Object.create(cursor, {
    value: { get: () => openRow(table, cursor.value) },
  }) as DBCoreCursor;
}

function wrapTable(down: DBCoreTable): DBCoreTable {
  const name = down.name;
  if (!SENSITIVE[name]) return down;
  return {
    ...down,
    mutate(req) {
      if (req.type !== 'add' && req.type !== 'put') return down.mutate(req);
      return down.mutate({ ...req, values: req.values.map((v) => sealRow(name, v)) });
    },
    async get(req) {
      return openRow(name, await down.get(req));
    },
    async getMany(req) {
      return (await down.getMany(req)).map((v) => openRow(name, v));
    },
    async query(req) {
      const res = await down.query(req);
      return req.values ? { ...res, result: res.result.map((v) => openRow(name, v)) } : res;
    },
    async openCursor(req) {
      const cursor = await down.openCursor(req);
      return cursor && req.values !== false ? wrapCursor(name, cursor) : cursor;
    },
  };
}

export const atRestMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'jangkau-at-rest',
  create: (down: DBCore) => ({
    ...down,
    table: (name: string) => wrapTable(down.table(name)),
  }),
};
