// Encryption at rest of the personal data an officer's device holds: a Dexie middleware hands the
// rows of drafts, the outbox and receipts to a codec that seals their sensitive fields on the way
// into IndexedDB and opens them on the way out (the codec and its key: src/auth/at-rest-codec.ts,
// installed when the PIN unlocks the device key).
//
// Why a middleware and a synchronous codec: those rows are written inside Dexie transactions all
// over src/db/, and an IndexedDB transaction commits as soon as it waits on anything that is not
// an IndexedDB request, such as a WebCrypto promise. This file is only the plumbing, on the
// resident's first-load path; a resident's device (no PIN, no codec) stores rows as before.
import type { DBCore, DBCoreCursor, DBCoreTable, Middleware } from 'dexie';

export interface AtRestCodec {
  sealRow(table: string, row: unknown): unknown;
  openRow(table: string, row: unknown): unknown;
}

/** The marker a sealed object field is replaced with: `{ '~sealed': '<base64 of nonce|ciphertext>' }`. */
export const SEALED_KEY = '~sealed';

const GUARDED = new Set(['drafts', 'outbox', 'receipts']);

let codec: AtRestCodec | undefined;
/** Set while an officer's PIN lock exists on this device: then no new personal data is written plain. */
let required = false;

export function setAtRestCodec(next: AtRestCodec | undefined): void {
  codec = next;
}

/** Once a PIN protects this device, filing or drafting without the key is refused. */
export function requireAtRestCodec(on: boolean): void {
  required = on;
}

export class DeviceLockedError extends Error {
  constructor() {
    super('The device is locked: unlock it with the PIN before writing personal data');
    this.name = 'DeviceLockedError';
  }
}

/** Whether an object field holds sealed data (the row was written under a device key). */
export function isSealedObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[SEALED_KEY] === 'string';
}

function wrapTable(down: DBCoreTable): DBCoreTable {
  const name = down.name;
  if (!GUARDED.has(name)) return down;
  const open = (row: unknown) => (codec && row !== undefined ? codec.openRow(name, row) : row);
  return {
    ...down,
    mutate(req) {
      if (req.type !== 'add' && req.type !== 'put') return down.mutate(req);
      const c = codec;
      if (c) return down.mutate({ ...req, values: req.values.map((v) => c.sealRow(name, v)) });
      // Locked: drafts and new submissions come only from the (hidden) form screen; updates of
      // rows already sealed (a pull's status on a receipt) pass unchanged.
      if (required && (name === 'drafts' || req.type === 'add')) return Promise.reject(new DeviceLockedError());
      return down.mutate(req);
    },
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
      return Object.create(cursor, { value: { get: () => open(cursor.value) } }) as DBCoreCursor;
    },
  };
}

export const atRestMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'jangkau-at-rest',
  create: (down) => ({ ...down, table: (name: string) => wrapTable(down.table(name)) }),
};
