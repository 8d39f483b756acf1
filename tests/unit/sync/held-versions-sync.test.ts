// SOPs and form versions on the device (issue #7): the SOPs arrive with the forms and stay readable
// offline; each pull reports the versions held; a newly received version's change notes wait for
// the officer's "Apa yang berubah" notice until dismissed.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { ppidPermohonanV1 } from '../../../core/forms/catalog/ppid-permohonan.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { parseHeld } from '../../../core/forms/held-versions.ts';
import type { SopDoc } from '../../../core/forms/sop.ts';
import { dismissNotes, pendingNotes } from '../../../src/db/change-notes.ts';
import { heldFormsTag, seedForms } from '../../../src/db/forms-cache.ts';
import { openTestDb } from '../db/test-db.ts';
import { cataloguedDevice, closeDevices } from './catalogued-device.ts';
import { FakeServer } from './fake-server.ts';

const ppidV2: FormDef = {
  ...ppidPermohonanV1,
  version: 2,
  effectiveDate: '2027-01-02',
  changeNotes: { id: 'Kolom instansi ditambahkan.', en: 'An institution field was added.' },
  fields: [...ppidPermohonanV1.fields, { name: 'instansi', type: 'text', label: { id: 'Instansi', en: 'Institution' } }],
};

const sop = (version: number): SopDoc => ({
  sopId: 'sop-coklit',
  version,
  title: { id: 'SOP Coklit', en: 'Coklit SOP' },
  effectiveDate: '2026-12-01',
  changeNotes: { id: `Perubahan ${version}.`, en: `Changes ${version}.` },
  body: 'Langkah 1.\n\nLangkah 2.',
});

afterEach(closeDevices);

const lastReport = (server: FakeServer) => parseHeld(server.heldReports.at(-1));

describe('form and SOP versions on the device', () => {
  it('reports what it holds on each pull, fetches a new SOP or form version by the tag, and keeps its notes pending until dismissed', async () => {
    const server = new FakeServer();
    const { db, engine } = await cataloguedDevice(server);
    expect((await engine.sync('online')).outcome).toBe('ok');
    // The bundled catalogue is what the server offers: nothing fetched, nothing pending.
    expect(server.requests.filter((r) => r.route === 'forms')).toHaveLength(0);
    expect(lastReport(server)).toContainEqual({ item: 'ppid-permohonan', version: 1 });
    expect(await pendingNotes(db)).toEqual({ forms: [], sops: [] });

    // The province publishes ppid v2 and an SOP while the device is away.
    server.forms.push(ppidV2);
    server.sops = [sop(1)];
    const report = await engine.sync('online');
    expect(report.formsRefreshed).toBe(true);
    expect(await db.sops.toArray()).toEqual([{ sopId: 'sop-coklit', version: 1, doc: sop(1), notesPending: true }]);
    expect(await heldFormsTag(db)).toBe(server.formsTag());
    const pending = await pendingNotes(db);
    expect(pending.forms.map((f) => `${f.formId}@${f.version}`)).toEqual(['ppid-permohonan@2']);
    expect(pending.sops.map((d) => `${d.sopId}@${d.version}`)).toEqual(['sop-coklit@1']);

    // The pull went before the fetch, so the same sync pulls once more to report the new versions.
    expect(server.heldReports).toHaveLength(3);
    expect(lastReport(server)).toEqual(expect.arrayContaining([{ item: 'ppid-permohonan', version: 2 }, { item: 'sop:sop-coklit', version: 1 }]));
    expect(lastReport(server)?.some((h) => h.item === 'ppid-permohonan' && h.version === 1)).toBe(false);

    await dismissNotes(db);
    expect(await pendingNotes(db)).toEqual({ forms: [], sops: [] });
    // A refetch of versions already held does not bring the notice back.
    await engine.sync('manual');
    expect(await pendingNotes(db)).toEqual({ forms: [], sops: [] });

    // SOP v2 replaces v1 on the device and its notes are pending again.
    server.sops = [sop(2)];
    await engine.sync('online');
    expect((await db.sops.toArray()).map((r) => r.version)).toEqual([2]);
    expect((await pendingNotes(db)).sops.map((d) => d.changeNotes.id)).toEqual(['Perubahan 2.']);
  });

  it('shows the notes of a version bundled with an app update, but not of the catalogue on a fresh install', async () => {
    const fresh = openTestDb();
    onTestFinished(() => fresh.close());
    await seedForms(fresh, [...PUBLISHED_FORMS, ppidV2]);
    expect((await pendingNotes(fresh)).forms).toEqual([]);

    const updated = openTestDb();
    onTestFinished(() => updated.close());
    await seedForms(updated, PUBLISHED_FORMS);
    await seedForms(updated, [...PUBLISHED_FORMS, ppidV2]);
    expect((await pendingNotes(updated)).forms.map((f) => f.version)).toEqual([2]);
  });
});
