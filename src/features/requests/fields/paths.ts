// Field paths ('anggota[2].nik') as the validator names them, turned into DOM ids and labels.
import type { FieldDef, FormDef } from '../../../../core/forms/definition.ts';

/** The id of a path's input: 'anggota[2].nik' → 'f-anggota-2-nik' (names are camelCase words). */
export function domId(path: string): string {
  return 'f-' + path.replace(/[[\].]+/g, '-').replace(/-$/, '');
}

interface PathPart {
  name: string;
  index?: number;
}

function parse(path: string): PathPart[] {
  const parts: PathPart[] = [];
  for (const piece of path.split('.')) {
    const m = /^([^[]*)(?:\[(\d+)\])?$/.exec(piece);
    if (!m) return [];
    parts.push(m[2] === undefined ? { name: m[1] ?? '' } : { name: m[1] ?? '', index: Number(m[2]) });
  }
  return parts;
}

/** The definition a path points at, or undefined for a path the form does not have. */
export function fieldAtPath(form: FormDef, path: string): FieldDef | undefined {
  let fields: readonly FieldDef[] = form.fields;
  let found: FieldDef | undefined;
  for (const part of parse(path)) {
    found = fields.find((f) => f.name === part.name);
    if (!found) return undefined;
    fields = found.fields ?? [];
  }
  return found;
}

/** A path as a person reads it: 'Anggota 3 › NIK'. */
export function pathLabel(form: FormDef, path: string, local: (t: FieldDef['label']) => string): string {
  let fields: readonly FieldDef[] = form.fields;
  const words: string[] = [];
  for (const part of parse(path)) {
    const field = fields.find((f) => f.name === part.name);
    if (!field) return path;
    words.push(local(field.label) + (part.index === undefined ? '' : ` ${part.index + 1}`));
    fields = field.fields ?? [];
  }
  return words.join(' › ') || path;
}
