// One labelled choice list with its hint, in the same frame as InputField: the officer screens'
// filters and choices (form fields use src/features/requests/field-input.tsx).
import type { ReactNode, Ref, SelectHTMLAttributes } from 'react';
import { FieldFrame } from './input-field.tsx';

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'aria-invalid' | 'aria-describedby'>;

export function SelectField({
  id,
  label,
  help,
  error,
  ref,
  children,
  ...select
}: SelectProps & { id: string; label: ReactNode; help?: ReactNode; error?: ReactNode; ref?: Ref<HTMLSelectElement>; children: ReactNode }) {
  return (
    <FieldFrame
      id={id}
      label={label}
      help={help}
      error={error}
      control={(describedBy) => (
        <select {...select} ref={ref} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy}>
          {children}
        </select>
      )}
    />
  );
}
