// One labelled choice list with its hint, in the same frame as InputField: the officer screens'
// filters and choices (form fields use src/features/requests/field-input.tsx).
import type { ReactNode, Ref, SelectHTMLAttributes } from 'react';
import { FieldFrame, type FramedControl } from './input-field.tsx';

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, keyof FramedControl> & { ref?: Ref<HTMLSelectElement>; children: ReactNode };

export function SelectField(props: SelectProps & { id: string; label: ReactNode; help?: ReactNode; error?: ReactNode }) {
  return (
    <FieldFrame<SelectProps>
      {...props}
      control={({ ref, children, ...select }, framed) => (
        <select {...select} ref={ref} {...framed}>
          {children}
        </select>
      )}
    />
  );
}
