// One labelled choice list with its hint, linked by aria-describedby like InputField: the officer
// screens' filters and choices (form fields use src/features/requests/field-input.tsx).
import type { ReactNode, SelectHTMLAttributes } from 'react';

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'aria-describedby'>;

export function SelectField({ id, label, help, children, ...select }: SelectProps & { id: string; label: ReactNode; help?: ReactNode; children: ReactNode }) {
  const helpId = help ? `${id}-help` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {help && (
        <p className="hint" id={helpId}>
          {help}
        </p>
      )}
      <select {...select} id={id} aria-describedby={helpId}>
        {children}
      </select>
    </div>
  );
}
