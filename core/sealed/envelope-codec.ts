// A submission envelope in as few bytes as the QR codes and SMS that carry it allow: the ULID as
// 16 bytes, the creation time as milliseconds, the secret as its raw bytes, the answers as JSON,
// all deflated. Decoding gives back an envelope whose payload hash is the one the phone computes,
// so a later push of the same submission by the resident's phone is a duplicate, not a clash.
import type { SubmissionEnvelope } from '../protocol.ts';
import { compress, decompress } from './deflate.ts';
import { bytesToUlid, ulidToBytes } from './ulid-bytes.ts';

const FORMAT = 1;
const FLAG_TIME_AS_MS = 1;
const FLAG_SECRET_AS_BYTES = 2;
/** The answers as values in the form's field order, without their names. */
const FLAG_DATA_BY_FIELDS = 4;
/** With FLAG_DATA_BY_FIELDS: answers under names the form does not list follow as an object. */
const FLAG_EXTRAS = 8;
/** With FLAG_DATA_BY_FIELDS: choice answers are positions in their field's list. */
const FLAG_CHOICE_INDEXES = 16;
/** The voter record a coklit updates (issue #13): its 16-byte key and base version follow the form version. */
const FLAG_RECORD = 32;
/** Far above any form without attachments; a bound on what a small message may inflate to. */
export const MAX_PACKED_ENVELOPE_BYTES = 256 * 1024;

/** Strict base64url: undefined unless `text` is the canonical unpadded form of some bytes. */
export function base64UrlToBytes(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return bytesToBase64Url(bytes) === text ? bytes : undefined;
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

class Writer {
  private readonly parts: number[] = [];
  byte(b: number): void {
    this.parts.push(b & 0xff);
  }
  bytes(bs: Uint8Array): void {
    for (const b of bs) this.parts.push(b);
  }
  varint(n: number): void {
    let rest = n;
    while (rest >= 0x80) {
      this.parts.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.parts.push(rest);
  }
  blob(bs: Uint8Array): void {
    this.varint(bs.length);
    this.bytes(bs);
  }
  mark(): number {
    return this.parts.length;
  }
  set(at: number, b: number): void {
    this.parts[at] = b & 0xff;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

class Reader {
  private at = 0;
  constructor(private readonly data: Uint8Array) {}
  byte(): number {
    const b = this.data[this.at++];
    if (b === undefined) throw new Error('packed envelope is truncated');
    return b;
  }
  bytes(n: number): Uint8Array {
    if (this.at + n > this.data.length) throw new Error('packed envelope is truncated');
    const out = this.data.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }
  varint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
    throw new Error('packed envelope has a bad length');
  }
  blob(): Uint8Array {
    return this.bytes(this.varint());
  }
  rest(): Uint8Array {
    const out = this.data.slice(this.at);
    this.at = this.data.length;
    return out;
  }
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

function timeAsMs(createdAt: string): number | undefined {
  const ms = Date.parse(createdAt);
  return Number.isFinite(ms) && ms >= 0 && ms < 2 ** 48 && new Date(ms).toISOString() === createdAt ? ms : undefined;
}

/**
 * A form version's fields in definition order, which both ends know (the phone filled the form,
 * the server keeps every version it published): packing by them drops the answer names from the
 * bytes, and a choice answer becomes its position in the list of choices.
 */
export interface PackField {
  name: string;
  /** The values of a choice or multichoice field, in definition order. */
  choices?: readonly string[];
}
export type PackFields = readonly PackField[];
/** Looks up the fields of a form version; undefined when the version is unknown. */
export type PackFieldsOf = (formId: string, version: number) => Promise<PackFields | undefined>;

type Data = SubmissionEnvelope['data'];

/** A choice answer as positions, or undefined when it is not made of listed values. */
function choiceToIndex(value: unknown, choices: readonly string[]): number | number[] | undefined {
  if (typeof value === 'string') return choices.includes(value) ? choices.indexOf(value) : undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && choices.includes(v))) {
    return value.map((v: string) => choices.indexOf(v));
  }
  return undefined;
}

function indexToChoice(value: unknown, choices: readonly string[]): unknown {
  const pick = (n: unknown) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= choices.length) throw new Error('packed choice out of range');
    return choices[n];
  };
  return Array.isArray(value) ? value.map(pick) : pick(value);
}

/** Values in field order; choices as positions when every choice answer is a listed value. */
function orderedValues(data: Data, fields: PackFields): { present: boolean[]; values: unknown[]; byIndex: boolean } {
  const present = fields.map((f) => Object.prototype.hasOwnProperty.call(data, f.name) && data[f.name] !== undefined);
  const raw = fields.flatMap((f, i) => (present[i] ? [{ f, v: data[f.name] }] : []));
  const indexed = raw.map(({ f, v }) => (f.choices ? choiceToIndex(v, f.choices) : v));
  const byIndex = raw.every(({ f }, i) => !f.choices || indexed[i] !== undefined);
  return { present, values: byIndex ? indexed : raw.map(({ v }) => v), byIndex };
}

function writeDataByFields(w: Writer, data: Data, fields: PackFields): { extras: boolean; byIndex: boolean } {
  const known = new Set(fields.map((f) => f.name));
  const { present, values, byIndex } = orderedValues(data, fields);
  const bitmap = new Uint8Array(Math.ceil(fields.length / 8));
  present.forEach((p, i) => {
    if (p) bitmap[i >> 3]! |= 1 << (i & 7);
  });
  const extras = Object.fromEntries(Object.entries(data).filter(([k, v]) => !known.has(k) && v !== undefined));
  const hasExtras = Object.keys(extras).length > 0;
  if (hasExtras) values.push(extras);
  w.varint(fields.length);
  w.bytes(bitmap);
  w.bytes(utf8.encode(JSON.stringify(values)));
  return { extras: hasExtras, byIndex };
}

function readDataByFields(r: Reader, fields: PackFields, hasExtras: boolean, byIndex: boolean): Data {
  if (r.varint() !== fields.length) throw new Error('packed with another version of the form');
  const bitmap = r.bytes(Math.ceil(fields.length / 8));
  const values = JSON.parse(fromUtf8.decode(r.rest())) as unknown;
  if (!Array.isArray(values)) throw new Error('packed answers are not a list');
  const data: Data = {};
  let at = 0;
  fields.forEach((f, i) => {
    if (!(bitmap[i >> 3]! & (1 << (i & 7)))) return;
    const value: unknown = values[at++];
    data[f.name] = byIndex && f.choices ? indexToChoice(value, f.choices) : value;
  });
  if (hasExtras) {
    const extras = values[at++] as unknown;
    if (typeof extras !== 'object' || extras === null || Array.isArray(extras)) throw new Error('packed extras are not an object');
    Object.assign(data, extras);
  }
  if (at !== values.length) throw new Error('packed answers do not match the form');
  return data;
}

/**
 * The envelope as deflated bytes; throws when its id is not a ULID. With the form's fields
 * (form-fields.ts) the answers go without their names and choices as positions.
 */
export async function packEnvelope(
  envelope: SubmissionEnvelope,
  fields?: PackFields,
  options: { raw?: boolean } = {},
): Promise<Uint8Array> {
  const id = ulidToBytes(envelope.id);
  if (!id) throw new Error('envelope id is not a ULID');
  const ms = timeAsMs(envelope.createdAt);
  const secret = base64UrlToBytes(envelope.secret);
  const w = new Writer();
  w.byte(FORMAT);
  w.bytes(id);
  let flags = (ms !== undefined ? FLAG_TIME_AS_MS : 0) | (secret ? FLAG_SECRET_AS_BYTES : 0);
  if (fields) flags |= FLAG_DATA_BY_FIELDS;
  const record = envelope.record && /^[a-f0-9]{32}$/.test(envelope.record.id) ? envelope.record : undefined;
  if (record) flags |= FLAG_RECORD;
  const flagsAt = w.mark();
  w.byte(flags);
  if (ms !== undefined) {
    for (let i = 5; i >= 0; i--) w.byte(Math.floor(ms / 2 ** (8 * i)) % 256);
  } else {
    w.blob(utf8.encode(envelope.createdAt));
  }
  w.blob(secret ?? utf8.encode(envelope.secret));
  w.blob(utf8.encode(envelope.formId));
  w.varint(envelope.formVersion);
  if (record) {
    for (let i = 0; i < 32; i += 2) w.byte(parseInt(record.id.slice(i, i + 2), 16));
    w.varint(record.baseVersion);
  }
  if (fields) {
    const written = writeDataByFields(w, envelope.data, fields);
    w.set(flagsAt, flags | (written.extras ? FLAG_EXTRAS : 0) | (written.byIndex ? FLAG_CHOICE_INDEXES : 0));
  } else {
    w.bytes(utf8.encode(JSON.stringify(envelope.data)));
  }
  return compress(w.done(), options);
}

/**
 * The envelope back from packed bytes. Its shape is not checked here: the server's push
 * ingestion judges it like any pushed item. Throws on bytes that are not a packed envelope.
 */
export async function unpackEnvelope(packed: Uint8Array, fieldsOf?: PackFieldsOf): Promise<SubmissionEnvelope> {
  const r = new Reader(await decompress(packed, MAX_PACKED_ENVELOPE_BYTES));
  if (r.byte() !== FORMAT) throw new Error('unknown packed envelope format');
  const id = bytesToUlid(r.bytes(16));
  const flags = r.byte();
  let createdAt: string;
  if (flags & FLAG_TIME_AS_MS) {
    let ms = 0;
    for (let i = 0; i < 6; i++) ms = ms * 256 + r.byte();
    createdAt = new Date(ms).toISOString();
  } else {
    createdAt = fromUtf8.decode(r.blob());
  }
  const secretBytes = r.blob();
  const secret = flags & FLAG_SECRET_AS_BYTES ? bytesToBase64Url(secretBytes) : fromUtf8.decode(secretBytes);
  const formId = fromUtf8.decode(r.blob());
  const formVersion = r.varint();
  let record: SubmissionEnvelope['record'];
  if (flags & FLAG_RECORD) {
    const id = [...r.bytes(16)].map((b) => b.toString(16).padStart(2, '0')).join('');
    record = { id, baseVersion: r.varint() };
  }
  let data: Data;
  if (flags & FLAG_DATA_BY_FIELDS) {
    const fields = await fieldsOf?.(formId, formVersion);
    if (!fields) throw new Error('packed by the fields of a form version this side does not know');
    data = readDataByFields(r, fields, (flags & FLAG_EXTRAS) !== 0, (flags & FLAG_CHOICE_INDEXES) !== 0);
  } else {
    data = JSON.parse(fromUtf8.decode(r.rest())) as Data;
  }
  return { id, formId, formVersion, createdAt, data, secret, ...(record ? { record } : {}) };
}
