// A device offline across a publish picks up the new version on its next pull; drafts and queued
// items made on the old or a retired version still go through.
import { afterEach, describe, expect, it } from 'vitest';
import { ppidPermohonanV1 } from '../../../core/forms/catalog/ppid-permohonan.ts';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { formsTagOf } from '../../../core/forms/forms-tag.ts';
import { ulid } from '../../../core/ids.ts';
import { getForm, heldFormsTag, listOfferedForms } from '../../../src/db/forms-cache.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import { validPpid } from '../db/test-db.ts';
import { cataloguedDevice, closeDevices } from './catalogued-device.ts';
import { FakeServer } from './fake-server.ts';

const ppidV2: FormDef = {
  ...ppidPermohonanV1,
  version: 2,
  fields: [...ppidPermohonanV1.fields, { name: 'instansi', type: 'text', label: { id: 'Instansi', en: 'Institution' } }],
};

afterEach(closeDevices);

const ppidVersionsOffered = async (db: Awaited<ReturnType<typeof cataloguedDevice>>['db']) =>
  (await listOfferedForms(db)).filter((f) => f.formId === 'ppid-permohonan').map((f) => f.version);

describe('form versions on the device', () => {
  it('picks up v2 on the first pull after coming back, and still sends what was made on v1', async () => {
    const server = new FakeServer();
    const { db, engine } = await cataloguedDevice(server);
    expect((await engine.sync('start')).outcome).toBe('ok');
    expect(await ppidVersionsOffered(db)).toEqual([1]);

    // Offline: the person files on v1 while the province publishes v2.
    const onV1 = ulid();
    expect((await submitDraft(db, ppidPermohonanV1, onV1, validPpid())).ok).toBe(true);
    server.forms.push(ppidV2);

    // The next sync is an ordinary one ('online', not 'start' or 'manual'): the tag brings v2.
    const report = await engine.sync('online');
    expect(report.outcome).toBe('ok');
    expect(report.formsRefreshed).toBe(true);
    expect(await ppidVersionsOffered(db)).toEqual([2]);
    expect(server.submissions.get(onV1)?.envelope.formVersion).toBe(1);
    // v1 stays on the device, for rendering what was made on it.
    expect(await getForm(db, 'ppid-permohonan', 1)).toBeDefined();
    // Nothing new: no forms fetch.
    expect((await engine.sync('online')).formsRefreshed).toBe(false);
  });

  it('stops offering a retired form, but its queued items still arrive', async () => {
    const server = new FakeServer([...PUBLISHED_FORMS, ppidV2]);
    const { db, engine } = await cataloguedDevice(server);
    await engine.sync('start');
    const queuedOnV2 = ulid();
    expect((await submitDraft(db, ppidV2, queuedOnV2, { ...validPpid(), instansi: 'UBB' })).ok).toBe(true);

    // The fake keeps every version it ever had for validation, as the real server does.
    server.retired = [{ formId: 'ppid-permohonan', version: 2 }];
    const report = await engine.sync('online');
    expect(report.pushed.accepted).toBe(1);
    expect(server.submissions.has(queuedOnV2)).toBe(true);
    expect(await ppidVersionsOffered(db)).toEqual([1]);
  });
});

describe('the forms tag', () => {
  const bundled = PUBLISHED_FORMS.map((f) => ({ formId: f.formId, version: f.version, retired: false }));

  it('names the set of versions and their retired flags, in any order', () => {
    expect(formsTagOf([...bundled].reverse())).toBe(formsTagOf(bundled));
    expect(formsTagOf(bundled)).toMatch(/^\d+-[0-9a-f]{16}$/);
    const withV2 = formsTagOf([...bundled, { formId: 'ppid-permohonan', version: 2, retired: false }]);
    expect(withV2).not.toBe(formsTagOf(bundled));
    const retired = bundled.map((v) => (v.formId === 'ppid-permohonan' ? { ...v, retired: true } : v));
    expect(formsTagOf(retired)).not.toBe(formsTagOf(bundled));
  });

  it('a fresh device holding the bundled catalogue the server offers fetches no forms', async () => {
    const server = new FakeServer(PUBLISHED_FORMS);
    const { db, engine } = await cataloguedDevice(server);
    expect(await heldFormsTag(db)).toBe(server.formsTag());
    const report = await engine.sync('start');
    expect(report.outcome).toBe('ok');
    expect(report.formsRefreshed).toBe(false);
    expect(server.requests.filter((r) => r.route === 'forms')).toHaveLength(0);

    // Once the province publishes, the tags differ and the next sync fetches.
    server.forms.push(ppidV2);
    expect((await engine.sync('online')).formsRefreshed).toBe(true);
    expect(await ppidVersionsOffered(db)).toEqual([2]);
  });
});
