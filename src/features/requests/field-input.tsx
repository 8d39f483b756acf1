// One input for one field of a form definition. Labels are tied to inputs; help and errors are
// linked with aria-describedby so screen readers announce them with the field.
import type { FieldDef } from '../../../core/forms/definition.ts';
import { useI18n } from '../../i18n/use-i18n.ts';

interface Props {
  field: FieldDef;
  value: string;
  required: boolean;
  error?: string;
  warning?: string;
  onChange(value: string): void;
  onBlur(): void;
}

const INPUT_TYPES: Partial<Record<FieldDef['type'], { type: string; inputMode?: 'numeric' | 'tel' | 'email' }>> = {
  text: { type: 'text' },
  email: { type: 'email', inputMode: 'email' },
  phone: { type: 'tel', inputMode: 'tel' },
  nik: { type: 'text', inputMode: 'numeric' },
  date: { type: 'date' },
};

/** Up to this many choices show as radio buttons; more become a drop-down. */
const MAX_RADIOS = 4;

export function FieldInput({ field, value, required, error, warning, onChange, onBlur }: Props) {
  const { t, local } = useI18n();
  const inputId = `f-${field.name}`;
  const helpId = field.help ? `${inputId}-help` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const warningId = warning ? `${inputId}-warning` : undefined;
  const describedBy = [helpId, errorId, warningId].filter(Boolean).join(' ') || undefined;
  const marker = <span className="req"> ({required ? t('required') : t('optional')})</span>;
  const messages = (
    <>
      {error && (
        <p className="error" id={errorId}>
          {error}
        </p>
      )}
      {warning && (
        <p className="warning" id={warningId}>
          {t('warningPrefix')}
          {warning}
        </p>
      )}
    </>
  );
  const help = field.help && (
    <p className="hint" id={helpId}>
      {local(field.help)}
    </p>
  );

  if (field.type === 'choice' && (field.choices?.length ?? 0) <= MAX_RADIOS) {
    return (
      <div className="field">
        <fieldset aria-describedby={describedBy} id={inputId} tabIndex={-1}>
          <legend>
            {local(field.label)}
            {marker}
          </legend>
          {help}
          {field.choices?.map((c) => {
            const id = `${inputId}-${c.value}`;
            return (
              <div className="choice" key={c.value}>
                <input
                  type="radio"
                  id={id}
                  name={field.name}
                  value={c.value}
                  checked={value === c.value}
                  onChange={() => onChange(c.value)}
                  onBlur={onBlur}
                  aria-invalid={error ? true : undefined}
                />
                <label htmlFor={id}>{local(c.label)}</label>
              </div>
            );
          })}
          {messages}
        </fieldset>
      </div>
    );
  }

  const common = {
    id: inputId,
    name: field.name,
    value,
    required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    onBlur,
  } as const;

  let control;
  if (field.type === 'choice') {
    control = (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('choose')}</option>
        {field.choices?.map((c) => (
          <option key={c.value} value={c.value}>
            {local(c.label)}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'longtext') {
    control = <textarea {...common} maxLength={field.maxLength} onChange={(e) => onChange(e.target.value)} />;
  } else {
    const kind = INPUT_TYPES[field.type] ?? { type: 'text' };
    control = (
      <input
        {...common}
        type={kind.type}
        inputMode={kind.inputMode}
        autoComplete={field.autocomplete ?? 'off'}
        maxLength={field.type === 'nik' ? 16 : field.maxLength}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={inputId}>
        {local(field.label)}
        {marker}
      </label>
      {help}
      {control}
      {messages}
    </div>
  );
}
