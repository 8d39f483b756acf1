// Checks one pushed item on its own, without touching the database, so one bad item only ever
// rejects itself (invariant 5). The verdict is a value: rejected with a reason, or ready to store.
import { Compile } from 'typebox/compile';
import { validateForm, type ValidationContext } from '../../core/forms/validate.ts';
import { fullContext } from '../../core/forms/full-context.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { type ItemResult, type SubmissionEnvelope } from '../../core/protocol.ts';
import { SubmissionEnvelopeSchema } from '../../core/protocol-schemas.ts';

const envelopeCheck = Compile(SubmissionEnvelopeSchema);

/** Longest item id echoed back; anything longer is named by its position instead. */
const MAX_ECHOED_ID = 128;

export type ItemCheck =
  | { kind: 'rejected'; result: ItemResult }
  | { kind: 'valid'; index: number; envelope: SubmissionEnvelope };

/** How a result names an item: its own id when it has a usable one, else `#<index>`. */
export function itemLabel(item: unknown, index: number): string {
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
    const id = (item as Record<string, unknown>).id;
    if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ECHOED_ID) return id;
  }
  return `#${index}`;
}

export function isEnvelope(item: unknown): item is SubmissionEnvelope {
  return envelopeCheck.Check(item);
}

export type FormLookup = (formId: string, version: number) => FormDef | undefined;

/** `context` defaults to the full region catalogue and today's date in WIB, as the page has them. */
export function checkItem(item: unknown, index: number, findForm: FormLookup, context: ValidationContext = fullContext()): ItemCheck {
  if (!isEnvelope(item)) {
    return { kind: 'rejected', result: { id: itemLabel(item, index), outcome: 'rejected', reason: 'invalid_envelope' } };
  }
  return checkEnvelope(item, index, findForm, context);
}

/** `checkItem` for an item already known to be an envelope. */
export function checkEnvelope(
  item: SubmissionEnvelope,
  index: number,
  findForm: FormLookup,
  context: ValidationContext = fullContext(),
): ItemCheck {
  const form = findForm(item.formId, item.formVersion);
  if (!form) return { kind: 'rejected', result: { id: item.id, outcome: 'rejected', reason: 'unknown_form' } };
  const { errors } = validateForm(form, item.data, context);
  if (errors.length > 0) {
    return { kind: 'rejected', result: { id: item.id, outcome: 'rejected', reason: 'invalid_data', errors } };
  }
  return { kind: 'valid', index, envelope: item };
}
