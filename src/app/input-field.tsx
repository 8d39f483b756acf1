// One labelled input with its hint and error, linked by aria-describedby so screen readers read
// them together: the frame of the officer and safety-copy screens' own fields (form fields use
// src/features/requests/fields/field-shell.tsx, which also carries warnings and groups).
import type { InputHTMLAttributes, ReactNode, Ref, TextareaHTMLAttributes } from 'react';

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

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'aria-invalid' | 'aria-describedby'>;

/** A longer text (an answer, a reason, a note) in the same frame. */
export function TextAreaField({ id, label, help, error, alert, ref, ...area }: TextAreaProps & FrameProps & { ref?: Ref<HTMLTextAreaElement> }) {
  return (
    <FieldFrame
      id={id}
      label={label}
      help={help}
      error={error}
      alert={alert}
      control={(describedBy) => <textarea {...area} ref={ref} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />}
    />
  );
}

/**
 * A group of checkboxes under one legend, with its hint and error: several picks from a list
 * (the fields a returned request needs completed); with `type="radio"`, one pick (the register's
 * kind). Each box is the forms' big `.choice` target. `ref` goes to the first box, to focus on an error.
 */
export function ChecksField({
  id,
  legend,
  help,
  error,
  options,
  checked,
  disabled,
  onToggle,
  ref,
  type = 'checkbox',
}: {
  id: string;
  legend: ReactNode;
  help?: ReactNode;
  error?: ReactNode;
  options: readonly { value: string; label: ReactNode }[];
  checked: ReadonlySet<string>;
  disabled?: boolean;
  onToggle(value: string, on: boolean): void;
  ref?: Ref<HTMLInputElement>;
  type?: 'checkbox' | 'radio';
}) {
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <fieldset id={id} aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
        <legend>{legend}</legend>
        {help && (
          <p className="hint" id={helpId}>
            {help}
          </p>
        )}
        {options.map((o, i) => (
          <div className="choice" key={o.value}>
            <input
              type={type}
              name={type === 'radio' ? id : undefined}
              id={`${id}-${o.value}`}
              ref={i === 0 ? ref : undefined}
              value={o.value}
              checked={checked.has(o.value)}
              disabled={disabled}
              onChange={(e) => onToggle(o.value, e.target.checked)}
            />
            <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
          </div>
        ))}
        {error && (
          <p className="error" id={errorId}>
            {error}
          </p>
        )}
      </fieldset>
    </div>
  );
}
