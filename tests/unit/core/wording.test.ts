// The words the form screens build from a form: a draft's name never carries an answer, every
// published form's send button says what the form is, and the error summary does not repeat a
// field's name the message already opens with (issue #17).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { latestForms, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { draftTitle, issueLine, submitLabel } from '../../../core/forms/wording.ts';

const forms = latestForms(PUBLISHED_FORMS);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('draftTitle', () => {
  it('is the form and the day, whatever was typed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...forms),
        fc.dictionary(fc.string({ minLength: 1 }), fc.string({ minLength: 3 })),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.constantFrom('id' as const, 'en' as const),
        (form, data, updatedAt, lang) => {
          const draft = { id: 'd1', formId: form.formId, formVersion: form.version, data, createdAt: updatedAt, updatedAt };
          const title = draftTitle(draft, form.title, lang, day);
          expect(title).toBe(`${form.title[lang]} · ${day(updatedAt)}`);
          for (const value of Object.values(data)) {
            if (!form.title[lang].includes(value) && !day(updatedAt).includes(value)) expect(title).not.toContain(value);
          }
        },
      ),
    );
  });

  it('falls back to the form id, not an answer, when the device no longer holds the form', () => {
    expect(draftTitle({ formId: 'ppid-permohonan', updatedAt: 0 }, undefined, 'id', day)).toBe('ppid-permohonan · 1970-01-01');
  });
});

describe('submitLabel', () => {
  it('says "Kirim permohonan" only on request forms, and something for every form', () => {
    for (const form of forms) {
      const label = submitLabel(form);
      expect(label.id.length).toBeGreaterThan(0);
      expect(label.en.length).toBeGreaterThan(0);
    }
    const byId = Object.fromEntries(forms.map((f) => [f.formId, submitLabel(f).id]));
    expect(byId['ppid-permohonan']).toBe('Kirim permohonan');
    expect(byId['skm']).toBe('Kirim survei');
    expect(byId['coklit-pilkada']).toBe('Simpan hasil coklit');
    expect(byId['survei-tps']).not.toBe('Kirim permohonan');
  });
});

describe('issueLine', () => {
  it('does not repeat the field name the message opens with', () => {
    expect(issueLine('NIK', 'NIK harus 16 angka.')).toBe('NIK harus 16 angka.');
    expect(issueLine('Email', 'Isi alamat email yang benar.')).toBe('Email: Isi alamat email yang benar.');
    // A label that is only the start of the message's first word is still named.
    expect(issueLine('No', 'Nomor HP harus diisi.')).toBe('No: Nomor HP harus diisi.');
    expect(issueLine('Anggota 2 › NIK', 'NIK harus 16 angka.')).toBe('Anggota 2 › NIK: NIK harus 16 angka.');
  });

  it('always keeps the whole message', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (label, message) => issueLine(label, message).endsWith(message)));
  });
});
