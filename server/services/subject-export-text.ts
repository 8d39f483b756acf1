// The readable form of a data subject's export: plain Indonesian text, one block per record, the
// form's own field labels, so the office can print it or send it to the person as it is.
import type { FieldDef, FormDef } from '../../core/forms/definition.ts';
import { formKey } from '../repositories/forms.ts';
import type { SubjectExport } from './subject-requests.ts';

const KIND_LABEL = { access: 'akses', correction: 'perbaikan', erasure: 'penghapusan' } as const;

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && 'sha256' in value) return `berkas ${String((value as { sha256: unknown }).sha256).slice(0, 12)}…`;
  return JSON.stringify(value);
}

function fieldLines(fields: readonly FieldDef[], answers: Readonly<Record<string, unknown>>, indent: string): string[] {
  const lines: string[] = [];
  const known = new Set<string>();
  for (const field of fields) {
    known.add(field.name);
    const value = answers[field.name];
    if (value === undefined || field.type === 'section') continue;
    if (field.type === 'repeat' && Array.isArray(value)) {
      lines.push(`${indent}${field.label.id}:`);
      value.forEach((entry: unknown, i) => {
        lines.push(`${indent}  #${i + 1}`);
        if (entry !== null && typeof entry === 'object') lines.push(...fieldLines(field.fields ?? [], entry as Record<string, unknown>, `${indent}    `));
      });
    } else {
      lines.push(`${indent}${field.label.id}: ${show(value)}`);
    }
  }
  for (const [name, value] of Object.entries(answers)) if (!known.has(name)) lines.push(`${indent}${name}: ${show(value)}`);
  return lines;
}

export function readableExport(data: SubjectExport, forms: ReadonlyMap<string, FormDef>): string {
  const r = data.request;
  const lines = [
    'DATA PRIBADI YANG DISIMPAN KPU PROVINSI KEPULAUAN BANGKA BELITUNG',
    `Permohonan ${KIND_LABEL[r.kind]} nomor ${r.id}, diterima ${r.receivedAt}, batas jawab ${r.dueAt}`,
    `Dibuat ${data.generatedAt}; ${data.submissions.length} catatan.`,
    '',
  ];
  for (const s of data.submissions) {
    lines.push(`== ${s.formTitle} (${s.formId} v${s.formVersion}), tanda terima ${s.receipt}`);
    lines.push(`Diterima ${s.receivedAt}; status ${s.status} sejak ${s.statusAt}; wilayah ${s.regionCode}`);
    if (s.answer) lines.push(`Jawaban: ${s.answer}`);
    const form = forms.get(formKey(s.formId, s.formVersion));
    lines.push(...fieldLines(form?.fields ?? [], s.answers, '  '));
    for (const f of s.attachments) lines.push(`  Berkas ${f.field}: ${f.type}, ${f.size} bita, sha256 ${f.sha256}`);
    for (const h of s.history) lines.push(`  Riwayat ${h.at}: ${h.status}${h.answer ? ` (${h.answer})` : ''}`);
    for (const m of s.sms) lines.push(`  SMS dari ${m.sender} pada ${m.receivedAt}`);
    lines.push('');
  }
  return lines.join('\n');
}
