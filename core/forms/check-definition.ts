// Checks that a form definition is well formed before it is published: a broken definition would
// otherwise surface as a field nobody can fill, or a condition that never holds, on phones that
// are offline for days. Returns problems as text; empty means publishable.
import { LANGS, type LocalText } from '../local-text.ts';
import { FORM_FORMAT_VERSION, type Condition, type FieldDef, type FormDef } from './definition.ts';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../privacy/retention.ts';
import { choicesOf, isValidDate, validateForm } from './validate.ts';

const NAME_RE = /^[a-z][A-Za-z0-9]*$/;

function textProblems(where: string, text: LocalText | undefined, required: boolean): string[] {
  if (text === undefined) return required ? [`${where}: missing`] : [];
  return LANGS.filter((lang) => typeof text[lang] !== 'string' || text[lang].trim() === '').map((lang) => `${where}: empty in ${lang}`);
}

function conditionTarget(form: FormDef, siblings: readonly FieldDef[], c: Condition): FieldDef | undefined {
  return siblings.find((f) => f.name === c.field) ?? form.fields.find((f) => f.name === c.field);
}

export function checkDefinition(form: FormDef): string[] {
  const problems: string[] = [];
  const add = (p: string) => problems.push(`${form.formId}@${form.version}: ${p}`);
  if ((form.formatVersion ?? 1) > FORM_FORMAT_VERSION) add(`format ${form.formatVersion} is newer than this code knows`);
  for (const [key, text] of [['title', form.title], ['summary', form.summary], ['nextSteps', form.nextSteps]] as const) {
    textProblems(key, text, true).forEach(add);
  }
  textProblems('changeNotes', form.changeNotes, false).forEach(add);
  if (form.effectiveDate !== undefined && !isValidDate(form.effectiveDate)) add(`effectiveDate ${form.effectiveDate} is not a yyyy-mm-dd date`);
  if (!form.fields.some((f) => f.name === form.titleField && f.type !== 'section')) add(`titleField ${form.titleField} is not a field`);
  if (form.scopeField !== undefined && !form.fields.some((f) => f.name === form.scopeField && (f.type === 'region' || f.type === 'choice'))) {
    add(`scopeField ${form.scopeField} is not a region or choice field`);
  }
  if (form.retention !== undefined) {
    const { days } = form.retention;
    if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
      add(`retention.days ${String(days)} is not a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}`);
    }
  }
  for (const [name, list] of Object.entries(form.choiceLists ?? {})) {
    if (list.length === 0) add(`choice list ${name} is empty`);
  }

  const walk = (fields: readonly FieldDef[], where: string, inGroup: boolean) => {
    const seen = new Set<string>();
    for (const field of fields) {
      const at = `${where}${field.name}`;
      if (!NAME_RE.test(field.name)) add(`${at}: name must be camelCase letters and digits`);
      if (seen.has(field.name)) add(`${at}: duplicate name`);
      seen.add(field.name);
      textProblems(`${at}.label`, field.label, true).forEach(add);
      textProblems(`${at}.help`, field.help, false).forEach(add);
      for (const [kind, c] of [['showIf', field.showIf], ['requiredIf', field.requiredIf]] as const) {
        if (!c) continue;
        const target = conditionTarget(form, inGroup ? fields : [], c);
        if (!target || target.type === 'section' || target.type === 'repeat') add(`${at}.${kind}: no field ${c.field} to test`);
        if (target === field) add(`${at}.${kind}: tests itself`);
        if ('contains' in c && target && target.type !== 'multichoice') add(`${at}.${kind}: contains needs a multichoice field`);
      }
      if (field.type === 'choice' || field.type === 'multichoice') {
        const choices = choicesOf(form, field);
        if (choices.length === 0) add(`${at}: no choices`);
        if (new Set(choices.map((c) => c.value)).size !== choices.length) add(`${at}: duplicate choice values`);
        choices.forEach((c, i) => textProblems(`${at}.choices[${i}]`, c.label, true).forEach(add));
        if (field.choiceList !== undefined && !form.choiceLists?.[field.choiceList]) add(`${at}: unknown choice list ${field.choiceList}`);
      }
      field.constraints?.forEach((rule, i) => {
        try {
          new RegExp(rule.pattern, 'u');
        } catch {
          add(`${at}.constraints[${i}]: pattern does not compile`);
        }
        textProblems(`${at}.constraints[${i}].message`, rule.message, true).forEach(add);
      });
      if (field.minDate !== undefined && !isValidDate(field.minDate)) add(`${at}: minDate must be an ISO date`);
      if (field.maxDate !== undefined && field.maxDate !== 'today' && !isValidDate(field.maxDate)) add(`${at}: maxDate must be an ISO date or 'today'`);
      if (field.type === 'repeat') {
        if (inGroup) add(`${at}: a repeat group cannot hold another`);
        if (!field.fields || field.fields.length === 0) add(`${at}: a repeat group needs fields`);
        else walk(field.fields, `${at}[].`, true);
      } else if (field.fields) add(`${at}: only a repeat group has fields`);
      if (field.example !== undefined) {
        const probe: FormDef = { ...form, fields: [{ ...field, showIf: undefined, requiredIf: undefined }] };
        const issues = validateForm(probe, { [field.name]: field.example }).errors;
        if (issues.length > 0) add(`${at}: example ${field.example} is not valid (${issues.map((i) => i.code).join(', ')})`);
      }
    }
  };
  walk(form.fields, '', false);
  return problems;
}
