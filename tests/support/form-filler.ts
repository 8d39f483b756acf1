// Fills any form from its definition, so every new form is covered without a new test script:
// sampleAnswers makes a valid answer set, fillForm types it into the real page the way a person
// would.
import { createHash } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import type { AnswerValue, FieldDef, FileRef, FormData, FormDef, GeoPoint, RepeatEntry } from '../../core/forms/definition.ts';
import { YES } from '../../core/forms/definition.ts';
import { REGIONS } from '../../core/forms/full-context.ts';
import { choicesOf, DEFAULT_ACCEPT, isVisible, type Within } from '../../core/forms/validate.ts';
import { PROVINCE_CODE } from '../../core/regions.ts';
import { domId } from '../../src/features/requests/fields/paths.ts';

/**
 * A 48×32 JPEG of noise at quality 0.1. The photo field re-encodes photos on the device, but keeps
 * a small JPEG whose re-encoding would only be larger, so these bytes reach the queue unchanged and
 * the hash sampleAnswers records is the one the page records.
 */
const SAMPLE_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAA' +
  'AABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' +
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAA' +
  'ABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAA' +
  'AAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAA' +
  'AAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAA' +
  'AABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAFA3PEY8' +
  'MlBGQUZaVVBfeMiCeG5uePWvuZHI////////////////////////////////////////////////////2wBDAVVaWnhpeOuC' +
  'guv/////////////////////////////////////////////////////////////////////////wAARCAAgADADASIAAhEB' +
  'AxEB/8QAFwABAQEBAAAAAAAAAAAAAAAAAQACA//EACUQAAEDAwMEAwEAAAAAAAAAAAEAESECMUESUfAiYXGBUqGx8f/EABcB' +
  'AQEBAQAAAAAAAAAAAAAAAAEAAgT/xAAWEQEBAQAAAAAAAAAAAAAAAAAAIUH/2gAMAwEAAhEDEQA/AOBmoEZ3j2h2LAAttlTw' +
  'JJGUvdsSGPPvC6mEXqLWJu6NMEbfqQXpA9W5z7nLDpt/UJF3Gex3Qz1Fzm+EmmQ3gB1AEh4gJwqovUQzSkPUIM2KNQ0i7787' +
  'q3hvVueEBavlMZVSSBAu9vSA0C/ZaBgRNgVEMwAJd5YIbVUWul+kQGH6jU9M33TU/9k=',
  'base64',
);

/** The bytes fillForm uploads for a file field; sampleAnswers records their hash. */
export function sampleFileBytes(field: FieldDef): Buffer {
  const label = Buffer.from(`Berkas uji Jangkau untuk ${field.name}`, 'utf8');
  const type = acceptOf(field)[0];
  if (type === 'application/pdf') return Buffer.concat([Buffer.from('%PDF-1.4\n% '), label, Buffer.from('\n%%EOF\n')]);
  if (type !== 'image/jpeg') return Buffer.concat([label, Buffer.from('\n')]);
  // A comment segment with the field's name, so each field's file is its own.
  const comment = Buffer.alloc(4);
  comment.writeUInt16BE(0xfffe, 0);
  comment.writeUInt16BE(label.length + 2, 2);
  const at = SAMPLE_JPEG.indexOf(Buffer.from([0xff, 0xdb]));
  return Buffer.concat([SAMPLE_JPEG.subarray(0, at), comment, label, SAMPLE_JPEG.subarray(at)]);
}

function acceptOf(field: FieldDef): readonly string[] {
  return field.accept ?? (field.type === 'photo' ? DEFAULT_ACCEPT.photo : DEFAULT_ACCEPT.document);
}

/** The first region of `level` under `within`, walking down the catalogue. */
function sampleRegion(within: string, level: 'regency' | 'district' | 'village'): string | undefined {
  const depth = { regency: 2, district: 3, village: 4 }[level];
  let code = within;
  while (code.split('.').length < depth) {
    const next = REGIONS.childrenOf(code)[0];
    if (!next) return undefined;
    code = next.code;
  }
  return code;
}

function sampleIsland(within: string): string | undefined {
  const groups = within.includes('.') ? [within] : [within, ...REGIONS.childrenOf(within).map((r) => r.code)];
  return groups.flatMap((g) => REGIONS.islandsOf(g))[0]?.code;
}

function sampleText(field: FieldDef): string {
  if (field.example !== undefined) return field.example;
  let text = `Isian uji untuk ${field.name} dari Pulau Lepar`;
  if (field.minLength !== undefined) while (text.length < field.minLength) text += ' dan Pulau Pongok';
  return field.maxLength !== undefined ? text.slice(0, field.maxLength).trim() : text;
}

function sampleNumber(field: FieldDef): string {
  const low = field.min ?? 0;
  let n = Math.max(low, Math.min(field.max ?? Number.MAX_SAFE_INTEGER, low + 1));
  if (field.integer || Number.isInteger(n)) n = Math.ceil(n);
  return String(n);
}

function sampleDate(field: FieldDef): string {
  const preferred = '1990-01-05';
  if (field.minDate !== undefined && preferred < field.minDate) return field.minDate;
  if (field.maxDate !== undefined && field.maxDate !== 'today' && preferred > field.maxDate) return field.maxDate;
  return preferred;
}

/** A valid answer for a field, given the answers so far (for choices that open other fields). */
export function sampleValue(form: FormDef, field: FieldDef, data: Readonly<Record<string, unknown>>): AnswerValue | undefined {
  switch (field.type) {
    case 'section':
      return undefined;
    case 'nik':
      return '1901024501900001';
    case 'kk':
      return '1901020101200001';
    case 'phone':
      return '0812 3456 7890';
    case 'email':
      return 'warga@contoh.id';
    case 'date':
      return sampleDate(field);
    case 'number':
      return sampleNumber(field);
    case 'yesno':
      return YES;
    case 'choice': {
      const preferred = field.name === 'caraMenerima' && !data.email ? 'email' : undefined;
      return preferred ?? choicesOf(form, field)[0]?.value;
    }
    case 'multichoice':
      return choicesOf(form, field)
        .slice(0, Math.max(1, field.minItems ?? 1))
        .map((c) => c.value);
    case 'region':
      return sampleRegion(field.within ?? PROVINCE_CODE, field.level ?? 'village');
    case 'island':
      return sampleIsland(field.within ?? PROVINCE_CODE);
    case 'photo':
    case 'document': {
      const bytes = sampleFileBytes(field);
      const ref: FileRef = { sha256: createHash('sha256').update(bytes).digest('hex'), type: acceptOf(field)[0] ?? 'image/jpeg', size: bytes.length };
      return ref;
    }
    case 'gps': {
      // Desa Tanjung Labu, Pulau Lepar: inside the province's box.
      const point: GeoPoint = { lat: -2.95, lng: 106.83 };
      return point;
    }
    case 'repeat': {
      const count = Math.max(1, field.minItems ?? 1);
      return Array.from({ length: count }, () => sampleEntry(form, field, data));
    }
    case 'text':
    case 'longtext':
      return sampleText(field);
  }
}

function sampleEntry(form: FormDef, group: FieldDef, root: Readonly<Record<string, unknown>>): RepeatEntry {
  const entry: RepeatEntry = {};
  for (let pass = 0; pass < 2; pass++) {
    for (const sub of group.fields ?? []) {
      const within: Within = { group, entry };
      if (!isVisible(form, sub, root, within)) {
        delete entry[sub.name];
        continue;
      }
      const value = sampleValue(form, sub, root);
      if (value !== undefined) entry[sub.name] = value as RepeatEntry[string];
    }
  }
  return entry;
}

export function sampleAnswers(form: FormDef): FormData {
  const data: FormData = {};
  // Two passes: the first sets the choices that decide which fields show.
  for (let pass = 0; pass < 2; pass++) {
    for (const field of form.fields) {
      if (!isVisible(form, field, data)) {
        delete data[field.name];
        continue;
      }
      const value = sampleValue(form, field, data);
      if (value !== undefined) data[field.name] = value;
    }
  }
  return data;
}

function byId(scope: Page | Locator, id: string): Locator {
  return scope.locator(`[id="${id}"]`);
}

async function fillField(page: Page, form: FormDef, field: FieldDef, path: string, value: AnswerValue): Promise<void> {
  const id = domId(path);
  switch (field.type) {
    case 'section':
      return;
    case 'choice':
    case 'yesno': {
      const radio = byId(page, `${id}-${String(value)}`);
      if ((await radio.count()) > 0) await radio.check();
      else await byId(page, id).selectOption(String(value));
      return;
    }
    case 'multichoice':
      for (const v of value as readonly string[]) await byId(page, `${id}-${v}`).check();
      return;
    case 'region': {
      // One select per level below the field's fixed parent, each id'd by its level.
      const code = String(value);
      const parts = code.split('.');
      const start = (field.within ?? PROVINCE_CODE).split('.').length;
      const levels = ['regency', 'district', 'village'];
      for (let n = start + 1; n <= parts.length; n++) {
        const level = levels[n - 2]!;
        await byId(page, `${id}-${level}`).selectOption(parts.slice(0, n).join('.'));
      }
      return;
    }
    case 'island':
      await byId(page, id).selectOption(String(value));
      return;
    case 'photo':
    case 'document': {
      const ref = value as FileRef;
      // Wait for this file's own "chosen" line: an earlier file field's does not mean this one is
      // stored (a photo is still being downscaled and stored for a moment).
      const chosen = page.getByText(/Terpilih:|Chosen:/);
      const before = await chosen.count();
      await byId(page, id).setInputFiles({ name: `${field.name}.bin`, mimeType: ref.type, buffer: sampleFileBytes(field) });
      await chosen.nth(before).waitFor();
      return;
    }
    case 'gps': {
      const point = value as GeoPoint;
      const details = byId(page, id).locator('details');
      if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
      await byId(page, `${id}-lat`).fill(String(point.lat));
      await byId(page, `${id}-lng`).fill(String(point.lng));
      return;
    }
    case 'repeat': {
      const entries = value as readonly RepeatEntry[];
      const add = byId(page, id).locator(':scope > button').last();
      for (let i = 0; i < entries.length; i++) {
        await add.click();
        const entry = entries[i]!;
        for (const sub of field.fields ?? []) {
          const v = entry[sub.name];
          if (v !== undefined) await fillField(page, form, sub, `${path}[${i}].${sub.name}`, v);
        }
      }
      return;
    }
    default:
      await byId(page, id).fill(String(value));
  }
}

/** Types the answers into the rendered form the way a person would. */
export async function fillForm(page: Page, form: FormDef, answers: FormData): Promise<void> {
  for (const field of form.fields) {
    const value = answers[field.name];
    if (value !== undefined) await fillField(page, form, field, field.name, value);
  }
}
