// Publishing and retiring form versions: devices learn of it through the pull's forms tag, and no
// submission made against an older or retired version is refused for it (invariant 6).
import { expect, it } from 'vitest';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { formsTagOf } from '../../core/forms/forms-tag.ts';
import { publishForm, retireForm } from '../../server/repositories/forms.ts';
import { countSubmissions, describeEachDialect, envelope, newDevice, pull, pushOk } from './helpers.ts';

/** PPID v2: the same form with one more optional field. */
const ppidV2: FormDef = {
  ...ppidPermohonanV1,
  version: 2,
  fields: [
    ...ppidPermohonanV1.fields,
    { name: 'instansi', type: 'text', label: { id: 'Instansi atau lembaga', en: 'Institution' }, maxLength: 100 },
  ],
};

describeEachDialect('form versions', (ctx) => {
  const now = () => new Date().toISOString();

  it('publishes a new version once, refuses a changed text under the same number and a bad definition', async () => {
    const { db } = ctx();
    expect(await publishForm(db, ppidV2, now())).toEqual({ ok: true, published: true });
    expect(await publishForm(db, ppidV2, now())).toEqual({ ok: true, published: false });
    const changed = { ...ppidV2, title: { id: 'Lain', en: 'Other' } };
    expect(await publishForm(db, changed, now())).toEqual({ ok: false, error: 'version_exists' });
    const broken = { ...ppidV2, version: 3, titleField: 'tidakAda' };
    const refused = await publishForm(db, broken, now());
    expect(refused.ok).toBe(false);
    const notAForm = await publishForm(db, { formId: 'x' } as unknown as FormDef, now());
    expect(notAForm).toMatchObject({ ok: false, error: 'invalid_definition' });
  });

  it('accepts v1 submissions after v2 is published, and after v1 is retired', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    const before = envelope();
    expect((await pushOk(app, device, [before])).results[0]?.outcome).toBe('accepted');

    await publishForm(db, ppidV2, now());
    const onV1 = envelope();
    const onV2 = envelope({ formVersion: 2, data: { ...envelope().data, instansi: 'Universitas Bangka Belitung' } });
    const afterPublish = await pushOk(app, device, [onV1, onV2]);
    expect(afterPublish.results.map((r) => r.outcome)).toEqual(['accepted', 'accepted']);

    expect(await retireForm(db, 'ppid-permohonan', 1, now())).toBe(true);
    const forms = (await app.inject({ url: '/api/v1/forms' })).json() as { forms: FormDef[]; retired: unknown[] };
    expect(forms.retired).toContainEqual({ formId: 'ppid-permohonan', version: 1 });
    expect(forms.forms.filter((f) => f.formId === 'ppid-permohonan').map((f) => f.version)).toEqual([2]);
    // An officer offline for a week still gets work made on the retired version in.
    const late = envelope();
    expect((await pushOk(app, device, [late])).results[0]?.outcome).toBe('accepted');
    expect(await countSubmissions(db)).toBe(4);
    // Unknown versions are still refused.
    const unknown = await pushOk(app, device, [envelope({ formVersion: 99 })]);
    expect(unknown.results[0]).toMatchObject({ outcome: 'rejected', reason: 'unknown_form' });
  });

  it('changes the pull’s forms tag when a version is published or retired', async () => {
    const { app, db } = ctx();
    const device = newDevice();
    await pushOk(app, device, [envelope()]);
    const tag = async () => ((await pull(app, device)).json() as { formsTag?: string }).formsTag;
    const first = await tag();
    expect(first).toBeTruthy();
    expect(await tag()).toBe(first);
    // The suite shares one database per dialect, so this test uses a version of its own.
    await publishForm(db, { ...ppidV2, version: 7 }, now());
    const second = await tag();
    expect(second).not.toBe(first);
    await retireForm(db, 'ppid-permohonan', 7, now());
    expect(await tag()).not.toBe(second);
  });

  it('sends the tag a device computes over the forms it was served, so a device holding them fetches nothing', async () => {
    const { app } = ctx();
    const device = newDevice();
    await pushOk(app, device, [envelope()]);
    const served = (await app.inject({ url: '/api/v1/forms' })).json() as {
      forms: FormDef[];
      retired: { formId: string; version: number }[];
    };
    const retired = new Set(served.retired.map((r) => `${r.formId}@${r.version}`));
    // GET /forms lists the offered versions and names the retired ones: the device holds both.
    const held = [
      ...served.forms.map((f) => ({ formId: f.formId, version: f.version, retired: false })),
      ...served.retired.map((r) => ({ ...r, retired: true })),
    ];
    expect(served.forms.some((f) => retired.has(`${f.formId}@${f.version}`))).toBe(false);
    expect(((await pull(app, device)).json() as { formsTag?: string }).formsTag).toBe(formsTagOf(held));
  });
});
