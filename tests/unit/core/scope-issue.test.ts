// Issue #11 defect 1: the page checks an officer entry's region against the officer's scope before
// sealing it, with the server's own rule (mayPushForm), so `forbidden` is caught beside the field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scopeIssue } from '../../../core/auth/submission-scope.ts';
import { mayPushForm } from '../../../core/auth/access.ts';
import { submissionRegion } from '../../../core/auth/submission-scope.ts';
import { latestForms, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { sampleAnswers } from '../../support/form-filler.ts';
import { PPID } from '../db/test-db.ts';

const coklit = latestForms(PUBLISHED_FORMS).find((f) => f.formId === 'coklit-pilkada') as FormDef;
const VILLAGES = ['19.01.01.1001', '19.01.01.2001', '19.01.02.2003', '19.04.01.2001'];
const SCOPES = ['19', '19.01', '19.01.01', '19.01.01.1001', '19.04'];

describe('scopeIssue', () => {
  it('flags exactly what the server would refuse forbidden, beside the region field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VILLAGES), fc.constantFrom(...SCOPES), (desa, scope) => {
        const data = { ...sampleAnswers(coklit), desa };
        const officer = { role: 'pantarlih' as const, scope };
        const issue = scopeIssue(coklit, data, officer);
        expect(issue === undefined).toBe(mayPushForm(officer, 'officer', submissionRegion(coklit, data)));
        if (issue) expect(issue).toEqual({ field: 'desa', code: 'out_of_scope' });
      }),
    );
  });

  it('never flags a public form, and flags an officer form with no officer as needing a login', () => {
    expect(scopeIssue(PPID, {}, undefined)).toBeUndefined();
    // No officer, no assigned area: "outside your area" would be the wrong thing to tell them.
    expect(scopeIssue(coklit, { ...sampleAnswers(coklit), desa: VILLAGES[0] }, undefined)).toEqual({ field: 'desa', code: 'officer_only' });
  });
});
