// Finding 3 of #12: the QR hand-off and SMS channels store what they carry as server-side devices
// whose ids are fixed and published. A stranger pushing first under such an id must not bind it
// to their own secret (which used to make every later hand-off fail with a 500, for good), nor
// pull, upload or deliver under it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { makeHandoffBundle } from '../../core/handoff/handoff-bundle.ts';
import { randomSecret } from '../../core/ids.ts';
import { deviceAuthorization, type SubmissionEnvelope } from '../../core/protocol.ts';
import { packFieldsOf } from '../../core/sealed/form-fields.ts';
import { CHANNEL_DEVICE_IDS } from '../../server/crypto/channel-device.ts';
import { TEST_AUTH } from '../server/auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pushOk } from '../server/helpers.ts';
import { publishedKey } from '../server/sealing-fixtures.ts';

const keyDirs: string[] = [];
afterAll(() => {
  for (const d of keyDirs) rmSync(d, { recursive: true, force: true });
});

async function sealedBundle(app: FastifyInstance, item: SubmissionEnvelope): Promise<string> {
  const form = PUBLISHED_FORMS.find((f) => f.formId === item.formId && f.version === item.formVersion)!;
  return Buffer.from(await makeHandoffBundle(await publishedKey(app), item, packFieldsOf(form))).toString('base64url');
}

describeEachDialect(
  'squatting a channel device id',
  (ctx) => {
    // First, while nothing has used either id yet.
    it('holds both channel devices from the start, before any request', async () => {
      const { db } = ctx();
      const rows = await db.selectFrom('devices').select('id').where('id', 'in', Object.values(CHANNEL_DEVICE_IDS)).execute();
      expect(rows.map((r) => r.id).sort()).toEqual(Object.values(CHANNEL_DEVICE_IDS).sort());
    });

    for (const [channel, id] of Object.entries(CHANNEL_DEVICE_IDS)) {
      it(`refuses every request from outside under the ${channel} id, before and after the channel was used`, async () => {
        const { app, db } = ctx();
        const squatter = { authorization: deviceAuthorization(id, randomSecret()) };
        const item = envelope();
        const requests = () =>
          Promise.all([
            app.inject({ method: 'POST', url: '/api/v1/push', headers: { ...squatter, 'content-type': 'application/json' }, payload: { items: [item] } }),
            app.inject({ url: '/api/v1/changes?since=0', headers: squatter }),
            app.inject({ method: 'HEAD', url: `/api/v1/uploads/${'ab'.repeat(32)}`, headers: { ...squatter, 'tus-resumable': '1.0.0' } }),
            app.inject({ method: 'POST', url: '/api/v1/handoff', headers: squatter, payload: { bundles: ['AAAA'] } }),
          ]);
        const refused = (statuses: number[]) => statuses.every((s) => s === 401 || s === 403);

        const first = (await requests()).map((r) => r.statusCode);
        expect(first, 'the squatter’s first requests').toSatisfy(refused);
        expect(await db.selectFrom('submissions').select('id').where('id', '=', item.id).execute()).toEqual([]);

        // The channel still works: a carried hand-off is stored (before the fix: 500, for good).
        const carrier = newDevice();
        await pushOk(app, carrier, [envelope()]);
        const carried = envelope();
        const delivered = await app.inject({
          method: 'POST',
          url: '/api/v1/handoff',
          headers: { authorization: carrier.authorization },
          payload: { bundles: [await sealedBundle(app, carried)] },
        });
        expect(delivered.statusCode, delivered.body).toBe(200);
        expect(delivered.json<{ results: { outcome: string }[] }>().results[0]?.outcome).toBe('accepted');

        // …and the squatter is still refused once the channel's row is in use.
        expect((await requests()).map((r) => r.statusCode), 'the squatter’s later requests').toSatisfy(refused);
      });
    }

  },
  () => {
    const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-keys-'));
    keyDirs.push(keysDir);
    return { auth: TEST_AUTH, handoff: { keysDir } };
  },
);
