// The files sampleAnswers names, stored on a test phone as the form screen stores a chosen file, so
// that filing those answers finds every file it names (src/db/outbox.ts refuses a form naming a
// file the phone does not hold).
import type { FieldDef, FormDef } from '../../core/forms/definition.ts';
import { asFileRef } from '../../core/forms/file-refs.ts';
import { storeAttachment } from '../../src/db/attachments.ts';
import type { JangkauDb } from '../../src/db/schema.ts';
import { sampleFileBytes } from './form-filler.ts';

export async function storeSampleFiles(db: JangkauDb, form: FormDef, data: Readonly<Record<string, unknown>>, heldBy?: string): Promise<void> {
  const visit = async (fields: readonly FieldDef[], values: Readonly<Record<string, unknown>>) => {
    for (const field of fields) {
      const value = values[field.name];
      if (field.type === 'repeat' && Array.isArray(value)) {
        for (const entry of value) await visit(field.fields ?? [], entry as Record<string, unknown>);
        continue;
      }
      const ref = asFileRef(value);
      if (!ref) continue;
      const bytes = sampleFileBytes(field);
      const stored = await storeAttachment(db, { sha256: ref.sha256, type: ref.type, blob: new Blob([new Uint8Array(bytes)], { type: ref.type }) }, Date.now(), heldBy);
      if (!stored.ok) throw new Error(`storeSampleFiles: ${field.name} not stored (${stored.reason})`);
    }
  };
  await visit(form.fields, data);
}
