// What the push adds to each submission for the officer side: the region it concerns, its due
// date, the officer who pushed it, and whether that push is allowed at all.
import { mayPushForm } from '../../core/auth/access.ts';
import { submissionRegion } from '../../core/auth/submission-scope.ts';
import type { Role } from '../../core/auth/roles.ts';
import { dueDate } from '../../core/calendar/working-days.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';

export interface PushingOfficer {
  accountId: string;
  role: Role;
  scope: string;
}

export interface Placement {
  regionCode: string;
  dueOn: string | null;
  accountId: string | null;
}

/**
 * Where a pushed submission goes, or undefined when this push may not file it: practice (latihan)
 * is for officers in training, so a resident's device cannot file it, and officer forms (coklit,
 * TPS survey) come only from an officer token whose region covers the item.
 */
export function placePush(form: FormDef, envelope: SubmissionEnvelope, receivedAt: string, officer?: PushingOfficer): Placement | undefined {
  if (envelope.practice === true && !officer) return undefined;
  const regionCode = submissionRegion(form, envelope.data);
  if (!mayPushForm(officer, form.audience, regionCode)) return undefined;
  return {
    regionCode,
    dueOn: form.sla ? dueDate(receivedAt, form.sla, false) : null,
    accountId: officer?.accountId ?? null,
  };
}
