// A form with a NIK, a name, an office and a photo, kept 30 days: what the retention purge and
// the data-subject tests push, upload and then take away again.
import { randomBytes } from 'node:crypto';
import { KPU_OFFICES } from '../../core/forms/catalog/common.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { randomSecret, ulid } from '../../core/ids.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { subjectIndexFromKey } from '../../server/crypto/subject-index.ts';

export const RETENTION_FORM: FormDef = {
  formId: 'uji-retensi',
  version: 1,
  audience: 'public',
  title: { id: 'Uji retensi', en: 'Retention test' },
  summary: { id: 'Uji.', en: 'Test.' },
  nextSteps: { id: 'Uji.', en: 'Test.' },
  titleField: 'judul',
  retention: { days: 30 },
  scopeField: 'kantor',
  fields: [
    { name: 'judul', type: 'text', label: { id: 'Judul', en: 'Title' }, required: true },
    { name: 'kantor', type: 'choice', label: { id: 'Kantor', en: 'Office' }, required: true, choices: KPU_OFFICES },
    { name: 'nik', type: 'nik', label: { id: 'NIK', en: 'NIK' } },
    { name: 'nama', type: 'text', label: { id: 'Nama', en: 'Name' } },
    { name: 'foto', type: 'photo', label: { id: 'Foto', en: 'Photo' } },
  ],
};

/** A test key for the NIK index (never the development key, so tests show the key is used). */
export const TEST_SUBJECT_INDEX = subjectIndexFromKey(Buffer.alloc(32, 7));

/** A NIK nobody else's test uses: 19.01.02, a woman born 05-01-90, a random serial. */
export function freshNik(): string {
  return `190102450190${String(1 + (randomBytes(2).readUInt16BE() % 9998)).padStart(4, '0')}`;
}

/** A name no other row holds, to grep the database file for. */
export function freshName(): string {
  return `Nama Uji ${randomBytes(6).toString('hex')}`;
}

export function retentionEnvelope(data: Record<string, unknown>): SubmissionEnvelope {
  return {
    id: ulid(),
    formId: RETENTION_FORM.formId,
    formVersion: 1,
    createdAt: new Date().toISOString(),
    data: { judul: 'Uji', kantor: '19.01', ...data } as SubmissionEnvelope['data'],
    secret: randomSecret(),
  };
}
