// One input for one field of a form definition, whatever its type. Simple types render here;
// region, file, GPS and repeat groups have their own components under fields/.
import { lazy, Suspense, type ReactNode } from 'react';
import { YES, NO } from '../../../core/forms/definition.ts';
import { choicesOf } from '../../../core/forms/validate.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { domId } from './fields/paths.ts';
import { FieldShell, type FieldProps } from './fields/field-shell.tsx';

// Region, file, GPS and repeat fields load on first use: most residents open the PPID request,
// which has none, and the first load has a fixed budget (DESIGN.md). The chunks are precached,
// so offline they load as fast as the rest.
const RegionField = lazy(() => import('./fields/region-field.tsx').then((m) => ({ default: m.RegionField })));
const IslandField = lazy(() => import('./fields/region-field.tsx').then((m) => ({ default: m.IslandField })));
const FileField = lazy(() => import('./fields/file-field.tsx').then((m) => ({ default: m.FileField })));
const GpsField = lazy(() => import('./fields/gps-field.tsx').then((m) => ({ default: m.GpsField })));
const RepeatField = lazy(() => import('./fields/repeat-field.tsx').then((m) => ({ default: m.RepeatField })));

export type { FieldProps, IssueLookup } from './fields/field-shell.tsx';

type InputKind = { type: string; inputMode?: 'numeric' | 'decimal' | 'tel' | 'email'; maxLength?: number };

const INPUT_TYPES: Partial<Record<FieldProps['field']['type'], InputKind>> = {
  text: { type: 'text' },
  email: { type: 'email', inputMode: 'email' },
  phone: { type: 'tel', inputMode: 'tel' },
  nik: { type: 'text', inputMode: 'numeric', maxLength: 16 },
  kk: { type: 'text', inputMode: 'numeric', maxLength: 16 },
  // A text input, not type=number: it keeps what was typed (decimal commas included) and shows
  // the validator's message instead of the browser silently dropping the value.
  number: { type: 'text', inputMode: 'decimal' },
  date: { type: 'date' },
};

/** Up to this many choices show as radio buttons; more become a drop-down. */
const MAX_RADIOS = 4;

function Later({ children }: { children: ReactNode }) {
  return <Suspense fallback={<div className="field" aria-busy="true" />}>{children}</Suspense>;
}

export function FieldInput(props: FieldProps) {
  const { field } = props;
  switch (field.type) {
    case 'section':
      return <SectionHeading {...props} />;
    case 'region':
      return (
        <Later>
          <RegionField {...props} />
        </Later>
      );
    case 'island':
      return (
        <Later>
          <IslandField {...props} />
        </Later>
      );
    case 'photo':
    case 'document':
      return (
        <Later>
          <FileField {...props} />
        </Later>
      );
    case 'gps':
      return (
        <Later>
          <GpsField {...props} />
        </Later>
      );
    case 'repeat':
      return (
        <Later>
          <RepeatField {...props} renderField={(p) => <FieldInput {...p} />} />
        </Later>
      );
    case 'multichoice':
      return <CheckboxesField {...props} />;
    case 'yesno':
    case 'choice':
      return <ChoiceField {...props} />;
    default:
      return <TextField {...props} />;
  }
}

function SectionHeading({ field, path }: FieldProps) {
  const { local } = useI18n();
  return (
    <div className="section" id={domId(path)}>
      <h2>{local(field.label)}</h2>
      {field.help && <p className="hint">{local(field.help)}</p>}
    </div>
  );
}

function TextField(props: FieldProps) {
  const { field, path, value, required, onChange, onBlur } = props;
  const text = typeof value === 'string' ? value : '';
  return (
    <FieldShell {...props} group={false}>
      {(d) => {
        const common = {
          id: d.id,
          name: path,
          value: text,
          required,
          'aria-invalid': d.invalid,
          'aria-describedby': d.describedBy,
          onBlur: () => onBlur(path),
        } as const;
        if (field.type === 'longtext') {
          return <textarea {...common} maxLength={field.maxLength} onChange={(e) => onChange(e.target.value)} />;
        }
        const kind = INPUT_TYPES[field.type] ?? { type: 'text' };
        return (
          <input
            {...common}
            type={kind.type}
            inputMode={kind.inputMode}
            autoComplete={field.autocomplete ?? 'off'}
            maxLength={kind.maxLength ?? field.maxLength}
            placeholder={field.example}
            min={field.type === 'date' ? field.minDate : undefined}
            max={field.type === 'date' && field.maxDate !== 'today' ? field.maxDate : undefined}
            onChange={(e) => onChange(e.target.value)}
          />
        );
      }}
    </FieldShell>
  );
}

function ChoiceField(props: FieldProps) {
  const { form, field, path, value, required, onChange, onBlur } = props;
  const { t, local } = useI18n();
  const choices =
    field.type === 'yesno'
      ? [
          { value: YES, label: { id: t('yes'), en: t('yes') } },
          { value: NO, label: { id: t('no'), en: t('no') } },
        ]
      : choicesOf(form, field);
  const current = typeof value === 'string' ? value : '';
  if (choices.length <= MAX_RADIOS) {
    return (
      <FieldShell {...props} group>
        {(d) =>
          choices.map((c) => {
            const id = `${d.id}-${c.value}`;
            return (
              <div className="choice" key={c.value}>
                <input
                  type="radio"
                  id={id}
                  name={path}
                  value={c.value}
                  checked={current === c.value}
                  onChange={() => onChange(c.value)}
                  onBlur={() => onBlur(path)}
                  aria-invalid={d.invalid}
                />
                <label htmlFor={id}>{local(c.label)}</label>
              </div>
            );
          })
        }
      </FieldShell>
    );
  }
  return (
    <FieldShell {...props} group={false}>
      {(d) => (
        <select
          id={d.id}
          name={path}
          value={current}
          required={required}
          aria-invalid={d.invalid}
          aria-describedby={d.describedBy}
          onBlur={() => onBlur(path)}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">{t('choose')}</option>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {local(c.label)}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

function CheckboxesField(props: FieldProps) {
  const { form, field, path, value, onChange, onBlur } = props;
  const { local } = useI18n();
  const picked = Array.isArray(value) ? (value as readonly unknown[]).filter((v): v is string => typeof v === 'string') : [];
  return (
    <FieldShell {...props} group>
      {(d) =>
        choicesOf(form, field).map((c) => {
          const id = `${d.id}-${c.value}`;
          const checked = picked.includes(c.value);
          return (
            <div className="choice" key={c.value}>
              <input
                type="checkbox"
                id={id}
                name={path}
                value={c.value}
                checked={checked}
                aria-invalid={d.invalid}
                onBlur={() => onBlur(path)}
                onChange={() => {
                  // Kept in the definition's order, whatever order they were ticked in.
                  const next = choicesOf(form, field)
                    .map((x) => x.value)
                    .filter((v) => (v === c.value ? !checked : picked.includes(v)));
                  onChange(next.length > 0 ? next : undefined);
                }}
              />
              <label htmlFor={id}>{local(c.label)}</label>
            </div>
          );
        })
      }
    </FieldShell>
  );
}
