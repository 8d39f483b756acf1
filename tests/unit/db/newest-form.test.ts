// The form screen reads only the opened form's rows (newestOfferedForm), not every definition the
// device holds (listOfferedForms): the two must agree for every set of stored versions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormDef } from '../../../core/forms/definition.ts';
import { ppidPermohonanV1 } from '../../../core/forms/catalog/ppid-permohonan.ts';
import { listOfferedForms, newestOfferedForm } from '../../../src/db/forms-cache.ts';
import { openTestDb } from './test-db.ts';

const IDS = ['ppid-permohonan', 'pengaduan', 'keberatan'];
const row = fc.record({ formId: fc.constantFrom(...IDS), version: fc.integer({ min: 1, max: 6 }), retired: fc.boolean() });

describe('newestOfferedForm', () => {
  it("is listOfferedForms' entry for that form, whatever versions are stored or retired", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(row, { selector: (r) => `${r.formId}@${r.version}`, maxLength: 12 }), fc.constantFrom(...IDS), async (rows, wanted) => {
        const db = openTestDb();
        try {
          await db.forms.bulkPut(rows.map((r) => ({ ...r, definition: { ...ppidPermohonanV1, formId: r.formId, version: r.version } as FormDef })));
          const listed = (await listOfferedForms(db)).find((f) => f.formId === wanted);
          expect(await newestOfferedForm(db, wanted)).toEqual(listed);
        } finally {
          db.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
