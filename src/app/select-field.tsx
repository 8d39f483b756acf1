// One labelled choice list with its hint, in the same frame as InputField: the officer screens'
// filters and choices (form fields use src/features/requests/field-input.tsx).
import type { ReactNode, SelectHTMLAttributes } from 'react';
import { FieldFrame } from './input-field.tsx';

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'aria-describedby'>;

export function SelectField({ id, label, help, children, ...select }: SelectProps & { id: string; label: ReactNode; help?: ReactNode; children: ReactNode }) {
  return (
    <FieldFrame
      id={id}
      label={label}
      help={help}
      control={(describedBy) => (
        <select {...select} id={id} aria-describedby={describedBy}>
          {children}
        </select>
      )}
    />
  );
}
