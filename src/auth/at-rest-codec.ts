// What is sealed at rest, field by field, and how: the codec the at-rest middleware
// (src/db/crypto-at-rest.ts) uses once the PIN unlocked the device key. Only the fields that carry
// what a person wrote are sealed; ids, states and times stay readable for the indexes and the queue.
import { isSealedObject, isSealedText, SEALED_KEY, SEALED_TEXT_PREFIX, type AtRestCodec } from '../db/crypto-at-rest.ts';
import { createAtRestCipher, createLockedCipher, type AtRestCipher } from './at-rest-cipher.ts';

export { SEALED_TEXT_PREFIX };

type FieldKind = 'object' | 'text';
type FieldPath = { path: readonly string[]; kind: FieldKind };

const SENSITIVE: Readonly<Record<string, readonly FieldPath[]>> = {
  drafts: [{ path: ['data'], kind: 'object' }],
  outbox: [
    { path: ['envelope', 'data'], kind: 'object' },
    // The answers kept beside an envelope sealed to the server's key, for a fix (outbox.ts).
    { path: ['answers'], kind: 'object' },
  ],
  receipts: [
    { path: ['title'], kind: 'text' },
    { path: ['answer'], kind: 'text' },
    // The office's reason for returning a request (perlu dilengkapi): staff write it like an answer.
    { path: ['returned', 'reason'], kind: 'text' },
  ],
  // The downloaded voter lists: every listed voter's NIK, KK, name, birth and address.
  assignment: [{ path: ['voter'], kind: 'object' }],
  // The officer's device token in `meta` (src/auth/session.ts): a copy of IndexedDB must not let
  // anyone call the API as the officer.
  officerSession: [{ path: ['token'], kind: 'text' }],
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}


/** A copy of `row` with the field at `path` mapped; the caller's object is never changed. */
function mapAt(row: unknown, path: readonly string[], fn: (v: unknown) => unknown): unknown {
  if (!isRecord(row)) return row;
  const [head, ...rest] = path;
  if (head === undefined || !(head in row)) return row;
  const next = rest.length === 0 ? fn(row[head]) : mapAt(row[head], rest, fn);
  return next === row[head] ? row : { ...row, [head]: next };
}

export function createAtRestCodec(cipher: AtRestCipher): AtRestCodec {
  function seal(value: unknown, kind: FieldKind): unknown {
    if (kind === 'object') return isSealedObject(value) ? value : { [SEALED_KEY]: cipher.seal(JSON.stringify(value)) };
    return isSealedText(value) || typeof value !== 'string' ? value : SEALED_TEXT_PREFIX + cipher.seal(value);
  }
  function open(value: unknown, kind: FieldKind): unknown {
    if (kind === 'object') return isSealedObject(value) ? (JSON.parse(cipher.open((value as Record<string, string>)[SEALED_KEY]!)) as unknown) : value;
    return isSealedText(value) ? cipher.open(value.slice(SEALED_TEXT_PREFIX.length)) : value;
  }
  const each = (table: string, row: unknown, fn: (v: unknown, kind: FieldKind) => unknown) =>
    (SENSITIVE[table] ?? []).reduce<unknown>((r, { path, kind }) => mapAt(r, path, (v) => fn(v, kind)), row);
  return {
    sealRow: (table, row) => each(table, row, seal),
    openRow: (table, row) => each(table, row, open),
    sealBytes: (bytes) => cipher.sealBytes(bytes),
    openBytes: (sealed, toDevicePk) => cipher.openBytes(sealed, toDevicePk),
    toDevicePk: cipher.toDevicePk,
  };
}

/** The codec over a 32-byte device key. */
export function codecForKey(deviceKey: Uint8Array): AtRestCodec {
  return createAtRestCodec(createAtRestCipher(deviceKey));
}

/** The codec of a locked device: seals to the device's public key (device-seal.ts), opens nothing. */
export function lockedCodecFor(devicePublicKey: Uint8Array): AtRestCodec {
  return createAtRestCodec(createLockedCipher(devicePublicKey));
}
