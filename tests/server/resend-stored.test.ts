// #11 defect 4: a resend of a submission the server already holds, with the same payload hash,
// gets the original acknowledgement whatever today's rules say of it. The first answer may have
// been lost on the link; meanwhile a deploy may have changed the validator, the region catalogue
// or the published forms, or the officer's scope. Here the stored copy is written through the
// repository (as yesterday's rules let it in) and the resend goes through the real push route.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { canonicalJson } from '../../core/hash.ts';
import type { PushResponse, SubmissionEnvelope } from '../../core/protocol.ts';
import { payloadHash, secretHash } from '../../server/services/hashing.ts';
import { bearer, coklit, officer, pushAs, REGION, TEST_AUTH } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pull, pushOk, validPpidData, type TestApp, type TestDevice } from './helpers.ts';

/** Stores `item` for `device` as a push under yesterday's rules did, without today's checks. */
async function storedYesterday(t: TestApp, device: TestDevice, item: SubmissionEnvelope, receivedAt: string): Promise<void> {
  const payloadJson = canonicalJson(item.data);
  const stored = await t.app.repos.ingest(
    { deviceId: device.deviceId, secret: device.secret },
    [{ envelope: item, payloadJson, payloadHash: payloadHash(item, payloadJson), secretHash: secretHash(item.secret) }],
    receivedAt,
  );
  expect(stored.ok && stored.outcomes[0]?.outcome).toBe('accepted');
}

/** Answers today's validator or region catalogue refuses (stored rows must name a published form). */
const refusedToday = fc.oneof(
  fc.record({ nik: fc.stringMatching(/^[0-9]{0,15}$/) }).map((o) => ({ data: validPpidData(o) })),
  fc.dictionary(fc.constantFrom('ditujukanKepada', 'caraMenerima', 'telepon'), fc.string({ maxLength: 8 })).map((o) => ({ data: validPpidData(o) })),
);

describeEachDialect('a resend of a stored submission', (ctx) => {
  it('is acknowledged as the duplicate it is, with the original receivedAt, whatever today rules', async () => {
    const t = ctx();
    await fc.assert(
      fc.asyncProperty(refusedToday, fc.boolean(), async (changes, samePhone) => {
        const filer = newDevice();
        const item = envelope(changes);
        const receivedAt = new Date(Date.now() - 86_400_000).toISOString();
        await storedYesterday(t, filer, item, receivedAt);
        // The same phone after a lost answer, or another phone holding the secret (a restore).
        const resender = samePhone ? filer : newDevice();
        const answer = await pushOk(t.app, resender, [item]);
        expect(answer.results[0]).toEqual({ id: item.id, outcome: 'duplicate', receivedAt });
        // The resender holds the secret, so it follows the status from now on.
        await t.app.repos.updateStatus(item.id, 'diproses');
        const page = (await pull(t.app, resender)).json<{ changes: { submissionId: string; status: string }[] }>();
        expect(page.changes.filter((c) => c.submissionId === item.id).at(-1)?.status).toBe('diproses');
      }),
      { numRuns: 15 },
    );
  });

  it('still judges an id held with other answers by today\'s rules, and a valid one as a conflict', async () => {
    const t = ctx();
    const filer = newDevice();
    const item = envelope();
    await storedYesterday(t, filer, item, new Date().toISOString());
    const invalid = (await pushOk(t.app, filer, [{ ...item, data: validPpidData({ nik: '123' }) }])).results[0];
    expect(invalid).toMatchObject({ id: item.id, outcome: 'rejected', reason: 'invalid_data' });
    const other = (await pushOk(t.app, filer, [{ ...item, data: validPpidData({ nama: 'Budi' }) }])).results[0];
    expect(other).toMatchObject({ id: item.id, outcome: 'rejected', reason: 'id_conflict' });
  });
});

describeEachDialect(
  "a resend of a stored officer submission, whoever's scope it is now",
  (ctx) => {
    it('is a duplicate when another officer logged in on the shared phone, or the officer is gone', async () => {
      const t = ctx();
      const first = await officer(t, 'pantarlih', REGION.village);
      const item = coklit(REGION.village);
      const stored = (await pushAs(t.app, bearer(first.token), [item])).json<PushResponse>().results[0];
      expect(stored?.outcome).toBe('accepted');
      const receivedAt = stored?.outcome === 'accepted' ? stored.receivedAt : '';
      // The answer was lost; the phone passes to an officer of another village, who sends the queue.
      const next = await officer(t, 'pantarlih', REGION.otherVillage);
      expect((await pushAs(t.app, bearer(next.token), [item])).json<PushResponse>().results[0]).toEqual({ id: item.id, outcome: 'duplicate', receivedAt });
      // Or nobody is logged in any more: the phone sends it as a resident's device would.
      expect((await pushOk(t.app, newDevice(), [item])).results[0]).toEqual({ id: item.id, outcome: 'duplicate', receivedAt });
      // A new officer form out of that officer's scope is still refused.
      expect((await pushAs(t.app, bearer(next.token), [coklit(REGION.village)])).json<PushResponse>().results[0]).toMatchObject({ reason: 'forbidden' });
    });
  },
  { auth: TEST_AUTH },
);
