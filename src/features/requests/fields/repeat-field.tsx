// A repeat group: a list of entries (family members, organisation members), each a fieldset of
// the group's own fields, added and removed with buttons.
import { Button } from '../../../app/button.tsx';
import type { ReactNode } from 'react';
import type { AnswerValue, RepeatEntry } from '../../../../core/forms/definition.ts';
import { isRecord, isRequired, isVisible } from '../../../../core/forms/validate.ts';
import { useI18n } from '../../../i18n/use-i18n.ts';
import { applyAnswer, FieldShell, type AnswerUpdate, type FieldProps } from './field-shell.tsx';
import { domId } from './paths.ts';

function entriesOf(value: AnswerValue | undefined): RepeatEntry[] {
  return Array.isArray(value) ? (value as unknown[]).filter(isRecord).map((e) => e as RepeatEntry) : [];
}

export function RepeatField(props: FieldProps & { renderField(p: FieldProps): ReactNode }) {
  const { form, field, path, value, root, onChange, renderField } = props;
  const { t, local } = useI18n();
  const entries = entriesOf(value);
  const what = local(field.itemLabel ?? field.label);
  const full = field.maxItems !== undefined && entries.length >= field.maxItems;

  function setEntry(index: number, name: string, update: AnswerValue | undefined | AnswerUpdate) {
    // Applied to the entries as they are then, not as this render saw them.
    onChange((current) =>
      entriesOf(current).map((e, i) => {
        if (i !== index) return e;
        const changed: RepeatEntry = { ...e };
        const next = applyAnswer(update, e[name]);
        if (next === undefined) delete changed[name];
        else changed[name] = next as RepeatEntry[string];
        return changed;
      }),
    );
  }

  return (
    <FieldShell {...props} group>
      {() => (
        <>
          {entries.length === 0 && <p className="hint">{t('repeatNone')}</p>}
          {entries.map((entry, index) => {
            const within = { group: field, entry };
            const entryPath = `${path}[${index}]`;
            return (
              <fieldset key={index} className="repeat-entry" id={domId(entryPath)}>
                <legend>{t('repeatEntry', { what, n: index + 1 })}</legend>
                {(field.fields ?? [])
                  .filter((sub) => isVisible(form, sub, root, within))
                  .map((sub) => (
                    <div key={sub.name}>
                      {renderField({
                        ...props,
                        field: sub,
                        path: `${entryPath}.${sub.name}`,
                        value: entry[sub.name],
                        required: isRequired(form, sub, root, within),
                        onChange: (v) => setEntry(index, sub.name, v),
                      })}
                    </div>
                  ))}
                <Button
                 
                  onClick={() => {
                    const rest = entries.filter((_, i) => i !== index);
                    onChange(rest.length > 0 ? rest : undefined);
                  }}
                >
                  {t('repeatRemove', { what, n: index + 1 })}
                </Button>
              </fieldset>
            );
          })}
          <Button disabled={full} onClick={() => onChange([...entries, {}])}>
            {t('repeatAdd', { what: what.toLowerCase() })}
          </Button>
        </>
      )}
    </FieldShell>
  );
}
