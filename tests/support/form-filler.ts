// Fills any form from its definition, so every new form is covered without a new test script.
import type { Page } from 'playwright-core';
import type { FieldDef, FormData, FormDef } from '../../core/forms/definition.ts';
import { isVisible } from '../../core/forms/validate.ts';

/** A valid answer for each field type, for forms filled by tests. */
export function sampleValue(field: FieldDef, data: FormData): string | undefined {
  switch (field.type) {
    case 'nik':
      return '1901024501900001';
    case 'phone':
      return '0812 3456 7890';
    case 'email':
      return 'warga@contoh.id';
    case 'date':
      return '1990-01-05';
    case 'choice': {
      const preferred = field.name === 'caraMenerima' && !data.email ? 'email' : undefined;
      return preferred ?? field.choices?.[0]?.value;
    }
    case 'text':
    case 'longtext': {
      const base = `Isian uji untuk ${field.name} dari Pulau Lepar`;
      return field.maxLength ? base.slice(0, field.maxLength) : base;
    }
  }
}

export function sampleAnswers(form: FormDef): FormData {
  const data: FormData = {};
  // Two passes: the first sets the choices that decide which fields show.
  for (let pass = 0; pass < 2; pass++) {
    for (const field of form.fields) {
      if (!isVisible(field, data)) continue;
      const value = sampleValue(field, data);
      if (value !== undefined) data[field.name] = value;
    }
  }
  return data;
}

/** Types the answers into the rendered form the way a person would. */
export async function fillForm(page: Page, form: FormDef, answers: FormData): Promise<void> {
  for (const field of form.fields) {
    const value = answers[field.name];
    if (value === undefined) continue;
    if (field.type === 'choice') {
      const radio = page.locator(`[id="f-${field.name}-${value}"]`);
      if ((await radio.count()) > 0) await radio.check();
      else await page.locator(`#f-${field.name}`).selectOption(value);
    } else {
      await page.locator(`#f-${field.name}`).fill(value);
    }
  }
}
