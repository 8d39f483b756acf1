// Issue #11 defect 1: an officer's entry sealed to the server's key and then refused (forbidden:
// a village outside the officer's scope; date_future: a phone clock a day ahead) must open the fix
// screen with every answer. The device keeps the answers, sealed at rest with the device key, until
// the server acknowledges the item; then nothing on the phone holds them.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { latestForms, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { cleanAnswers } from '../../../core/forms/validate.ts';
import { ulid } from '../../../core/ids.ts';
import { keyIdOf, type SealingKey } from '../../../core/sealed/seal.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { createPinLock } from '../../../src/auth/device-key.ts';
import { atRestMiddleware, requireAtRestCodec, setAtRestCodec } from '../../../src/db/crypto-at-rest.ts';
import { answersToFix, applyPushResults, buildEnvelope, getOutboxRow, listQueued, requeueFixed, submitDraft } from '../../../src/db/outbox.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { sampleAnswers } from '../../support/form-filler.ts';
import { rawRecordsText } from '../../support/raw-records.ts';
import { storeSampleFiles } from '../../support/sample-files.ts';

const coklit = latestForms(PUBLISHED_FORMS).find((f) => f.formId === 'coklit-pilkada') as FormDef;

async function serverKey(): Promise<SealingKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { kid: await keyIdOf(raw), raw };
}

afterEach(() => {
  setAtRestCodec(undefined);
  requireAtRestCodec(false);
});

describe('a refused officer entry sealed to the server', () => {
  it('opens the fix screen with its answers, sealed at rest, gone once acknowledged', async () => {
    const key = await serverKey();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('forbidden', 'invalid_data'),
        fc.stringMatching(/^[A-Z][a-z]{3,12} [A-Z][a-z]{3,12}$/),
        async (reason, name) => {
          const dbName = `refused-${ulid()}`;
          const app = new JangkauDb(dbName).use(atRestMiddleware) as JangkauDb;
          const raw = new JangkauDb(dbName);
          try {
            setAtRestCodec(codecForKey(await createPinLock(app, '274915', FAST_KDF)));
            requireAtRestCodec(true);
            const id = ulid();
            const answers = { ...sampleAnswers(coklit), nama: name };
            await storeSampleFiles(app, coklit, answers);
            expect((await submitDraft(app, coklit, id, answers, Date.now(), key)).ok).toBe(true);
            const [sent] = await listQueued(app);
            expect(sent?.envelope.sealed).toBeDefined();
            await applyPushResults(app, [sent!], [{ id, outcome: 'rejected', reason }], new Date().toISOString());

            const row = await getOutboxRow(app, id);
            expect(row?.state).toBe('needs_fix');
            // What the fix screen fills the form with.
            expect(answersToFix(row!)).toEqual(cleanAnswers(coklit, answers));
            // Kept sealed at rest with the device key, never in the clear.
            expect(await rawRecordsText(raw)).not.toContain(name);

            // Fixed and sent again: still kept until the server acknowledges, then gone. (The
            // sample's photo is a reference only; the phone must hold its row to requeue.)
            const photo = (answers as Record<string, unknown>).fotoStiker as { sha256: string; type: string; size: number };
            await raw.attachments.put({ sha256: photo.sha256, type: photo.type, size: photo.size, state: 'waiting', refs: [id], bytesSent: 0, createdAt: Date.now() });
            const fixed = { ...answersToFix(row!), nama: `${name} Baru` };
            expect((await requeueFixed(app, id, buildEnvelope(coklit, id, fixed), key)).ok).toBe(true);
            const [again] = await listQueued(app);
            expect(answersToFix(again!)).toEqual(cleanAnswers(coklit, fixed));
            await applyPushResults(app, [again!], [{ id, outcome: 'accepted', receivedAt: new Date().toISOString() }], new Date().toISOString());
            expect(await getOutboxRow(app, id)).toBeUndefined();
          } finally {
            setAtRestCodec(undefined);
            app.close();
            raw.close();
          }
        },
      ),
      { numRuns: 6 },
    );
  }, 60_000);
});
