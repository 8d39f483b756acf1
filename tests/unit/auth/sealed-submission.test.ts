// An officer's finalised entry on the phone (issue #6): filed with the server's cached key, it is
// kept sealed to that key, so neither the raw records nor the unlocked app can give its answers
// back; only the server's private key opens them. Its receipt is listed under the form's name. With
// no key cached yet the entry is kept sealed with the device key instead, as before.
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { latestForms, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { cleanAnswers } from '../../../core/forms/validate.ts';
import { ulid } from '../../../core/ids.ts';
import { keyIdOf, type SealingKey, type UnsealingKey } from '../../../core/sealed/seal.ts';
import { openSealedSubmission } from '../../../core/sealed/sealed-submission.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { createPinLock } from '../../../src/auth/device-key.ts';
import { atRestMiddleware, requireAtRestCodec, setAtRestCodec } from '../../../src/db/crypto-at-rest.ts';
import { applyPushResults, listQueued, sealsToServer, submitDraft } from '../../../src/db/outbox.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { sampleAnswers } from '../../support/form-filler.ts';
import { PPID } from '../db/test-db.ts';
import { rawRecordsText } from '../../support/raw-records.ts';
import { storeSampleFiles } from '../../support/sample-files.ts';

const coklit = latestForms(PUBLISHED_FORMS).find((f) => f.formId === 'coklit-pilkada') as FormDef;
const NIK = '1901024501900077';
const NAME = 'Rahmawati Binti Sulaiman';

async function serverKeyPair(): Promise<{ publicKey: SealingKey; privateKey: UnsealingKey }> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const kid = await keyIdOf(raw);
  return { publicKey: { kid, raw }, privateKey: { kid, privateKey: pair.privateKey } };
}

async function officerPhone(): Promise<{ app: JangkauDb; raw: JangkauDb }> {
  const name = `sealed-submission-${ulid()}`;
  const app = new JangkauDb(name).use(atRestMiddleware) as JangkauDb;
  setAtRestCodec(codecForKey(await createPinLock(app, '274915', FAST_KDF)));
  requireAtRestCodec(true);
  return { app, raw: new JangkauDb(name) };
}

const answers = () => ({ ...sampleAnswers(coklit), nik: NIK, nama: NAME });

afterEach(() => {
  setAtRestCodec(undefined);
  requireAtRestCodec(false);
});

describe("an officer's finalised entry", () => {
  it('is kept sealed to the server key: no store, and not the unlocked app, holds its answers', async () => {
    const { app, raw } = await officerPhone();
    const server = await serverKeyPair();
    const id = ulid();
    const data = answers();
    await storeSampleFiles(app, coklit, data);
    const filed = await submitDraft(app, coklit, id, data, Date.now(), server.publicKey);
    expect(filed.ok).toBe(true);

    const stored = await rawRecordsText(raw);
    expect(stored).toContain(id);
    expect(stored).not.toContain(NIK);
    expect(stored).not.toContain(NAME);
    // The envelope the app sends holds nothing but the sealed form. The answers stay on the device
    // (sealed at rest) only until the server acknowledges them, so a refusal can be fixed (#11.1).
    const [row] = await listQueued(app);
    expect(row?.envelope).toMatchObject({ id, formId: coklit.formId, formVersion: coklit.version, data: {} });
    expect(JSON.stringify(row?.envelope)).not.toContain(NIK);
    expect(JSON.stringify(await app.receipts.get(id))).not.toContain(NAME);
    await applyPushResults(app, [row!], [{ id, outcome: 'accepted', receivedAt: new Date().toISOString() }], new Date().toISOString());
    expect(await rawRecordsText(app)).not.toContain(NIK);
    expect((await app.receipts.get(id))?.title).toBe(coklit.title.id);

    // The server's private key gives the answers back, as filed.
    const opened = await openSealedSubmission(server.privateKey, row!.envelope);
    expect(opened.ok && opened.envelope.data).toEqual(cleanAnswers(coklit, answers()));
  });

  it('falls back to the device key while no server key is cached', async () => {
    const { app, raw } = await officerPhone();
    const id = ulid();
    const data = answers();
    await storeSampleFiles(app, coklit, data);
    expect((await submitDraft(app, coklit, id, data)).ok).toBe(true);
    expect(await rawRecordsText(raw)).not.toContain(NIK);
    const [row] = await listQueued(app);
    expect(row?.envelope.sealed).toBeUndefined();
    expect(row?.envelope.data.nik).toBe(NIK);
  });

  it('is sealed for officers’ forms only: residents’ requests are filed as before', () => {
    expect(sealsToServer(coklit)).toBe(true);
    expect(sealsToServer(PPID)).toBe(false);
  });
});
