// First-run tips come from the form's own definition: its summary, its required fields' labels
// and help texts, its next steps; the draft and send steps are the same for every form.
import { describe, expect, it } from 'vitest';
import { latestForms, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import type { FieldDef, FormDef } from '../../../core/forms/definition.ts';
import { formTips, markTipsSeen, MAX_TIP_ITEMS } from '../../../core/forms/form-tips.ts';

const forms = latestForms(PUBLISHED_FORMS);
const surveiTps = forms.find((f) => f.formId === 'survei-tps')!;

function text(label: string): FieldDef {
  return { name: label.toLowerCase().replace(/\W/g, ''), type: 'text', label: { id: label, en: label }, required: true };
}

describe('formTips', () => {
  it.each(forms.map((f) => [f.formId, f] as const))('%s: four steps, purpose to sending', (_id, form) => {
    const tips = formTips(form);
    expect(tips.map((t) => t.kind)).toEqual(['purpose', 'required', 'draft', 'send']);
    expect(tips[0]!.text).toEqual(form.summary);
    expect(tips[3]!.text.id).toContain(form.nextSteps.id);
    expect(tips[3]!.text.en).toContain(form.nextSteps.en);
    for (const tip of tips) {
      expect(tip.heading.id.length).toBeGreaterThan(0);
      expect(tip.text.id.length).toBeGreaterThan(0);
      expect(tip.text.en.length).toBeGreaterThan(0);
    }
  });

  it('lists the always-required fields by label, with their help text', () => {
    const items = formTips(surveiTps)[1]!.items!.map((i) => i.id);
    expect(items[0]).toBe('Desa/kelurahan');
    expect(items).toContain('Nama tempat: Contoh: halaman balai desa, SD Negeri 3.');
    // "Pulau" is optional; the boat trip is asked only when the site is reached by boat.
    expect(items.some((i) => i.startsWith('Pulau'))).toBe(false);
    expect(items.some((i) => i.startsWith('Lama perjalanan perahu'))).toBe(false);
  });

  it('says when other fields may become required, and when files are sent after the answers', () => {
    const tips = formTips(surveiTps);
    expect(tips[1]!.text.id).toContain('menurut jawaban Anda');
    expect(tips[2]!.text.id).toContain('Foto dan dokumen');
    const plain: FormDef = { ...surveiTps, fields: [text('Nama')] };
    expect(formTips(plain)[1]!.text.id).toBe('Isian berikut wajib diisi:');
    expect(formTips(plain)[2]!.text.id).not.toContain('Foto');
  });

  it('cuts a long list short, and says so when nothing is always required', () => {
    const many: FormDef = { ...surveiTps, fields: Array.from({ length: MAX_TIP_ITEMS + 3 }, (_, i) => text(`Isian ${i + 1}`)) };
    const items = formTips(many)[1]!.items!;
    expect(items).toHaveLength(MAX_TIP_ITEMS + 1);
    expect(items.at(-1)).toEqual({ id: '… dan 3 isian wajib lainnya.', en: '… and 3 more required fields.' });
    const none: FormDef = { ...surveiTps, fields: [{ ...text('Catatan'), required: false }] };
    expect(formTips(none)[1]).toMatchObject({ text: { id: 'Tidak ada isian yang selalu wajib.' } });
    expect(formTips(none)[1]!.items).toBeUndefined();
  });
});

describe('markTipsSeen', () => {
  it('adds a form id once', () => {
    expect(markTipsSeen(undefined, 'a')).toEqual(['a']);
    expect(markTipsSeen(['a'], 'b')).toEqual(['a', 'b']);
    expect(markTipsSeen(['a', 'b'], 'a')).toEqual(['a', 'b']);
  });
});
