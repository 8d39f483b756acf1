// Delivering carried QR hand-offs: the resident's request, sealed to the key the app cached and
// carried as QR codes, is delivered by the officer's phone, stored once under its own id, and
// the resident's phone still follows it when it later syncs; the carrier does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { makeHandoffBundle } from '../../core/handoff/handoff-bundle.ts';
import { addScan, bundleToQrTexts, EMPTY_COLLECTION } from '../../core/handoff/qr-parts.ts';
import type { PullResponse, PushResponse, SubmissionEnvelope } from '../../core/protocol.ts';
import { packFieldsOf } from '../../core/sealed/form-fields.ts';
import { countSubmissions, describeEachDialect, envelope, newDevice, pull, pushOk, type TestDevice } from './helpers.ts';
import { publishedKey } from './sealing-fixtures.ts';

const keyDirs: string[] = [];
afterAll(() => {
  for (const d of keyDirs) rmSync(d, { recursive: true, force: true });
});

/** The resident's phone shows codes; the officer's phone scans them (here: in reverse) and keeps the bundle. */
async function carry(app: FastifyInstance, item: SubmissionEnvelope): Promise<string> {
  const form = PUBLISHED_FORMS.find((f) => f.formId === item.formId && f.version === item.formVersion)!;
  const texts = await bundleToQrTexts(await makeHandoffBundle(await publishedKey(app), item, packFieldsOf(form)));
  let collection = EMPTY_COLLECTION;
  for (const text of [...texts].reverse()) {
    const step = await addScan(collection, text);
    collection = step.collection;
    if (step.result.kind === 'complete') return Buffer.from(step.result.bundle).toString('base64url');
  }
  throw new Error('hand-off did not complete');
}

function deliver(app: FastifyInstance, carrier: TestDevice, bundles: string[]): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/v1/handoff',
    headers: { authorization: carrier.authorization, 'content-type': 'application/json' },
    payload: { bundles },
  });
}

/** An officer's phone that has synced before. */
async function carrierDevice(app: FastifyInstance): Promise<TestDevice> {
  const device = newDevice();
  await pushOk(app, device, [envelope()]);
  return device;
}

describeEachDialect(
  'QR hand-off delivery',
  (ctx) => {
    it('stores a carried request once, and the resident’s phone still follows it; the carrier does not', async () => {
      const { app, db } = ctx();
      const item = envelope();
      const bundle = await carry(app, item);
      const officer = await carrierDevice(app);

      const first = await deliver(app, officer, [bundle]);
      expect(first.statusCode).toBe(200);
      expect(first.json<PushResponse>().results).toEqual([expect.objectContaining({ id: item.id, outcome: 'accepted' })]);
      // The officer's phone retries after a lost answer: a duplicate.
      expect((await deliver(app, officer, [bundle])).json<PushResponse>().results[0]).toMatchObject({ outcome: 'duplicate' });
      expect(await countSubmissions(db, item.id)).toBe(1);

      // The resident's phone, offline throughout, finally syncs: still one row, and it follows the status.
      const resident = newDevice();
      expect((await pushOk(app, resident, [item])).results[0]).toMatchObject({ id: item.id, outcome: 'duplicate' });
      await app.repos.updateStatus(item.id, 'selesai', 'Salinan DPT terlampir.');
      const residentSees = (await pull(app, resident)).json<PullResponse>().changes;
      expect(residentSees.map((c) => [c.submissionId, c.status])).toEqual([[item.id, 'selesai']]);
      const officerSees = (await pull(app, officer)).json<PullResponse>().changes;
      expect(officerSees.some((c) => c.submissionId === item.id)).toBe(false);
      expect(await countSubmissions(db, item.id)).toBe(1);
    });

    it('judges each bundle on its own: an altered one is rejected, the others stored', async () => {
      const { app, db } = ctx();
      const good = envelope();
      const bad = envelope();
      const goodBundle = await carry(app, good);
      const badBytes = Buffer.from(await carry(app, bad), 'base64url');
      badBytes[badBytes.length - 3]! ^= 0x10;
      const res = await deliver(app, await carrierDevice(app), [badBytes.toString('base64url'), goodBundle]);
      expect(res.json<PushResponse>().results).toEqual([
        { id: bad.id, outcome: 'rejected', reason: 'invalid_envelope' },
        expect.objectContaining({ id: good.id, outcome: 'accepted' }),
      ]);
      expect(await countSubmissions(db, bad.id)).toBe(0);
      expect(await countSubmissions(db, good.id)).toBe(1);
    });

    it('takes hand-offs only from a device that has synced before, and refuses malformed bodies', async () => {
      const { app } = ctx();
      const bundle = await carry(app, envelope());
      expect((await deliver(app, newDevice(), [bundle])).statusCode).toBe(401);
      const noAuth = await app.inject({ method: 'POST', url: '/api/v1/handoff', payload: { bundles: [bundle] } });
      expect(noAuth.statusCode).toBe(401);
      const officer = await carrierDevice(app);
      expect((await deliver(app, officer, [])).statusCode).toBe(400);
      expect((await deliver(app, officer, ['not base64url!'])).statusCode).toBe(400);
    });
  },
  () => {
    const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-keys-'));
    keyDirs.push(keysDir);
    return { handoff: { keysDir } };
  },
);
