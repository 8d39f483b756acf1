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

export function placeSubmission(form: FormDef, envelope: SubmissionEnvelope, receivedAt: string, officer?: PushingOfficer): Placement {
  return {
    regionCode: submissionRegion(form, envelope.data),
    dueOn: form.sla ? dueDate(receivedAt, form.sla, false) : null,
    accountId: officer?.accountId ?? null,
  };
}

export function mayPush(form: FormDef, envelope: SubmissionEnvelope, officer?: PushingOfficer): boolean {
  return mayPushForm(officer, form.audience, submissionRegion(form, envelope.data));
}
