// One labelled input with its hint and error, linked by aria-describedby so screen readers read
// them together: the frame of the officer and safety-copy screens' own fields (form fields use
// src/features/requests/fields/field-shell.tsx, which also carries warnings and groups).
import type { InputHTMLAttributes, ReactNode, Ref } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'aria-invalid' | 'aria-describedby'>;

interface FrameProps {
  id: string;
  label: ReactNode;
  help?: ReactNode;
  error?: ReactNode;
  /** Announce the error as it appears (role="alert"). */
  alert?: boolean;
}

/** The label, hint and error around one control; `control` gets the ids to describe it by. */
export function FieldFrame({ id, label, help, error, alert, control }: FrameProps & { control: (describedBy: string | undefined) => ReactNode }) {
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {help && (
        <p className="hint" id={helpId}>
          {help}
        </p>
      )}
      {control([helpId, errorId].filter(Boolean).join(' ') || undefined)}
      {error && (
        <p className="error" id={errorId} role={alert ? 'alert' : undefined}>
          {error}
        </p>
      )}
    </div>
  );
}

export function InputField({ id, label, help, error, alert, ref, type = 'text', ...input }: InputProps & FrameProps & { ref?: Ref<HTMLInputElement> }) {
  return (
    <FieldFrame
      id={id}
      label={label}
      help={help}
      error={error}
      alert={alert}
      control={(describedBy) => <input {...input} type={type} ref={ref} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />}
    />
  );
}
