// One labelled input with its hint and error, linked by aria-describedby so screen readers read
// them together: the frame of the officer and safety-copy screens' own fields (form fields use
// src/features/requests/fields/field-shell.tsx, which also carries warnings and groups).
import type { InputHTMLAttributes, ReactNode, Ref, TextareaHTMLAttributes } from 'react';

interface FrameProps {
  id: string;
  label: ReactNode;
  help?: ReactNode;
  error?: ReactNode;
  /** Announce the error as it appears (role="alert"). */
  alert?: boolean;
}

/** What the frame sets on its control: the id its label names, and the hint and error that describe it. */
export interface FramedControl {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** The ids of a field's hint and error (when shown), and the aria-describedby that names them. */
function describedIds(id: string, help: ReactNode, error: ReactNode) {
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return { helpId, errorId, describedBy: [helpId, errorId].filter(Boolean).join(' ') || undefined };
}

/** A control's own attributes: the frame sets the ones it ties to the label, hint and error. */
type ControlAttributes<A> = Omit<A, keyof FramedControl>;

/**
 * The label, hint and error around one control. The frame's props are taken off; `control` draws
 * the control from the rest, with the attributes that tie it to them.
 */
export function FieldFrame<P extends object>({ id, label, help, error, alert, control, ...rest }: FrameProps & P & { control: (rest: P, framed: FramedControl) => ReactNode }) {
  const { helpId, errorId, describedBy } = describedIds(id, help, error);
  const framed: FramedControl = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {help && (
        <p className="hint" id={helpId}>
          {help}
        </p>
      )}
      {control(rest as unknown as P, framed)}
      {error && (
        <p className="error" id={errorId} role={alert ? 'alert' : undefined}>
          {error}
        </p>
      )}
    </div>
  );
}

type InputProps = ControlAttributes<InputHTMLAttributes<HTMLInputElement>> & { ref?: Ref<HTMLInputElement> };

export function InputField(props: InputProps & FrameProps) {
  return <FieldFrame<InputProps> {...props} control={({ ref, type = 'text', ...input }, framed) => <input {...input} type={type} ref={ref} {...framed} />} />;
}

type TextAreaProps = ControlAttributes<TextareaHTMLAttributes<HTMLTextAreaElement>> & { ref?: Ref<HTMLTextAreaElement> };

/** A longer text (an answer, a reason, a note) in the same frame. */
export function TextAreaField(props: TextAreaProps & FrameProps) {
  return <FieldFrame<TextAreaProps> {...props} control={({ ref, ...area }, framed) => <textarea {...area} ref={ref} {...framed} />} />;
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
  const { helpId, errorId, describedBy } = describedIds(id, help, error);
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
