// The frame every field shares: label (or legend for a group of controls), help, error and
// warning, linked to the controls with aria-describedby so screen readers read them together.
import type { ReactNode } from 'react';
import type { AnswerValue, FieldDef, FormData, FormDef } from '../../../../core/forms/definition.ts';
import type { RegionDirectory } from '../../../../core/forms/context.ts';
import { useI18n } from '../../../i18n/use-i18n.ts';
import { domId } from './paths.ts';

/** Shown messages by path; the screen decides which are shown (touched, or after "Kirim"). */
export interface IssueLookup {
  error(path: string): string | undefined;
  warning(path: string): string | undefined;
}

export interface FieldProps {
  form: FormDef;
  field: FieldDef;
  /** The validator's path: 'nama', or 'anggota[0].nik' inside a repeat group. */
  path: string;
  value: AnswerValue | undefined;
  required: boolean;
  /** All answers, for conditions inside repeat entries. */
  root: FormData;
  issues: IssueLookup;
  regions: RegionDirectory | undefined;
  /**
   * A new answer, or an update of the answer as it is when applied: a field that finishes
   * later (a photo being downscaled and stored) must not write back answers typed meanwhile.
   */
  onChange(value: AnswerValue | undefined | AnswerUpdate): void;
  onBlur(path: string): void;
  /**
   * The id of the form's draft (the refused request's on the fix screen): a file chosen here is
   * claimed by it at once, before any autosave (src/db/attachments.ts, storeAttachment).
   */
  holder?: string;
}

export type AnswerUpdate = (current: AnswerValue | undefined) => AnswerValue | undefined;

/** The answer an onChange argument leaves, given the answer it applies to. */
export function applyAnswer(change: AnswerValue | undefined | AnswerUpdate, current: AnswerValue | undefined): AnswerValue | undefined {
  return typeof change === 'function' ? change(current) : change;
}

export interface Described {
  id: string;
  describedBy: string | undefined;
  invalid: true | undefined;
}

export function FieldShell({
  field,
  path,
  required,
  issues,
  group,
  children,
}: Pick<FieldProps, 'field' | 'path' | 'required' | 'issues'> & { group: boolean; children: (d: Described) => ReactNode }) {
  const { t, local } = useI18n();
  const id = domId(path);
  const error = issues.error(path);
  const warning = issues.warning(path);
  const helpId = field.help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const warningId = warning ? `${id}-warning` : undefined;
  const describedBy = [helpId, errorId, warningId].filter(Boolean).join(' ') || undefined;
  const d: Described = { id, describedBy, invalid: error ? true : undefined };
  const label = (
    <>
      {local(field.label)}
      <span className="req"> ({required ? t('required') : t('optional')})</span>
    </>
  );
  const help = field.help && (
    <p className="hint" id={helpId}>
      {local(field.help)}
    </p>
  );
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
  if (group) {
    return (
      <div className="field">
        <fieldset aria-describedby={describedBy} id={id} tabIndex={-1}>
          <legend>{label}</legend>
          {help}
          {children(d)}
          {messages}
        </fieldset>
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {help}
      {children(d)}
      {messages}
    </div>
  );
}
