// Which files a submission refers to. The server records them from the form definition (photo and
// document fields, also inside repeat groups) so it can tell when a submission is complete; the
// device finds them in answers it already validated, to know which stored files to send.
import type { FieldDef, FileRef, FormDef } from './definition.ts';

/** One file reference and where it sits: 'foto', or 'anggota[1].pasFoto' inside a repeat group. */
export interface FieldFile {
  path: string;
  ref: FileRef;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The shape a file answer has; the validator checks the rest (types, sizes). */
export function asFileRef(value: unknown): FileRef | undefined {
  if (!isObject(value)) return undefined;
  const { sha256, type, size } = value;
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256) || typeof type !== 'string' || typeof size !== 'number') return undefined;
  return { sha256, type, size };
}

function isFileField(field: FieldDef): boolean {
  return field.type === 'photo' || field.type === 'document';
}

/** Files in the photo and document fields of `data`, in the form's field order. */
export function fileRefsOf(form: Pick<FormDef, 'fields'>, data: Readonly<Record<string, unknown>>): FieldFile[] {
  const out: FieldFile[] = [];
  const walk = (fields: readonly FieldDef[], values: Readonly<Record<string, unknown>>, prefix: string) => {
    for (const field of fields) {
      const value = values[field.name];
      if (isFileField(field)) {
        const ref = asFileRef(value);
        if (ref) out.push({ path: `${prefix}${field.name}`, ref });
      } else if (field.type === 'repeat' && Array.isArray(value)) {
        value.forEach((entry: unknown, i) => {
          if (isObject(entry)) walk(field.fields ?? [], entry, `${prefix}${field.name}[${i}].`);
        });
      }
    }
  };
  walk(form.fields, data, '');
  return out;
}

/**
 * Every file reference anywhere in the answers, without the definition: for the device, which
 * holds answers its own validator already checked, and for a fix whose form may be gone.
 */
export function findFileRefs(data: unknown): FileRef[] {
  const out: FileRef[] = [];
  const visit = (value: unknown, depth: number) => {
    if (depth > 4) return;
    const ref = asFileRef(value);
    if (ref) {
      out.push(ref);
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
    } else if (isObject(value)) {
      for (const v of Object.values(value)) visit(v, depth + 1);
    }
  };
  visit(data, 0);
  return out;
}

/** The distinct sha256 values, first occurrence first. */
export function distinctShas(refs: readonly FileRef[]): string[] {
  return [...new Set(refs.map((r) => r.sha256))];
}
