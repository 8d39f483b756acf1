// Officers' submissions sealed to the server's key on the phone (issue #6): the push route opens
// each with the key ring, then judges and stores it like any other item. A resend, or the same
// submission sealed again (other bytes), is a duplicate; an altered item, one sealed to a key the
// server does not hold, or one whose sealed envelope is another submission is refused on its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { PushResponse, SubmissionEnvelope } from '../../core/protocol.ts';
import { bytesToBase64Url, base64UrlToBytes } from '../../core/sealed/envelope-codec.ts';
import { keyIdOf } from '../../core/sealed/seal.ts';
import { sealSubmission } from '../../core/sealed/sealed-submission.ts';
import { bearer, coklit, officer, pushAs, REGION, TEST_AUTH } from './auth-fixtures.ts';
import { countSubmissions, describeEachDialect } from './helpers.ts';
import { storedAnswers } from '../support/test-kek.ts';
import { publishedKey } from './sealing-fixtures.ts';

const keyDirs: string[] = [];
afterAll(() => {
  for (const d of keyDirs) rmSync(d, { recursive: true, force: true });
});

/** A P-256 key the server never made. */
async function strangerKey(): Promise<{ kid: string; raw: Uint8Array }> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { kid: await keyIdOf(raw), raw };
}

function altered(item: SubmissionEnvelope): SubmissionEnvelope {
  const bytes = base64UrlToBytes(item.sealed!)!;
  bytes[bytes.length - 5]! ^= 0x01;
  return { ...item, sealed: bytesToBase64Url(bytes) };
}

describeEachDialect(
  'sealed officer pushes',
  (ctx) => {
    it('opens a sealed entry and stores its answers once; a resend and a resealing are duplicates', async () => {
      const t = ctx();
      const key = await publishedKey(t.app);
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const plain = coklit(REGION.village);
      const sealed = await sealSubmission(key, plain);
      expect(sealed.data).toEqual({});
      expect(JSON.stringify(sealed)).not.toContain(String(plain.data.nik));

      const first = await pushAs(t.app, bearer(pantarlih.token), [sealed]);
      expect(first.statusCode).toBe(200);
      const accepted = first.json<PushResponse>().results[0]!;
      expect(accepted).toMatchObject({ id: plain.id, outcome: 'accepted' });
      // The province holds the opened answers, not the sealed bytes.
      const row = await t.db.selectFrom('submissions').select(['region_code']).where('id', '=', plain.id).executeTakeFirstOrThrow();
      expect(await storedAnswers(t.db, plain.id)).toEqual(plain.data);
      expect(row.region_code).toBe(REGION.village);

      const again = await pushAs(t.app, bearer(pantarlih.token), [sealed]);
      expect(again.json<PushResponse>().results[0]).toEqual({ id: plain.id, outcome: 'duplicate', receivedAt: accepted.receivedAt });
      const resealed = await sealSubmission(key, plain);
      expect(resealed.sealed).not.toBe(sealed.sealed);
      expect((await pushAs(t.app, bearer(pantarlih.token), [resealed])).json<PushResponse>().results[0]).toMatchObject({ outcome: 'duplicate' });
      expect(await countSubmissions(t.db, plain.id)).toBe(1);
    });

    it('refuses, item by item, what was altered, sealed to another key, or sealed for another submission', async () => {
      const t = ctx();
      const key = await publishedKey(t.app);
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const good = coklit(REGION.village);
      const tampered = altered(await sealSubmission(key, coklit(REGION.village)));
      const wrongKey = await sealSubmission(await strangerKey(), coklit(REGION.village));
      const other = coklit(REGION.village);
      // B's sealed answers under A's clear fields.
      const swapped: SubmissionEnvelope = { ...(await sealSubmission(key, coklit(REGION.village))), sealed: (await sealSubmission(key, other)).sealed! };
      const besideClear: SubmissionEnvelope = { ...(await sealSubmission(key, coklit(REGION.village))), data: { nik: '1901024501900001' } };
      const notBase64: SubmissionEnvelope = { ...(await sealSubmission(key, coklit(REGION.village))), sealed: 'bukan base64!' };
      const items = [tampered, wrongKey, swapped, besideClear, notBase64, await sealSubmission(key, good)];

      const res = await pushAs(t.app, bearer(pantarlih.token), items);
      expect(res.statusCode).toBe(200);
      expect(res.json<PushResponse>().results).toEqual([
        ...items.slice(0, 5).map((i) => ({ id: i.id, outcome: 'rejected', reason: 'invalid_envelope' })),
        expect.objectContaining({ id: good.id, outcome: 'accepted' }),
      ]);
      for (const i of items.slice(0, 5)) expect(await countSubmissions(t.db, i.id)).toBe(0);
      expect(await countSubmissions(t.db, other.id)).toBe(0);
      expect(await countSubmissions(t.db, good.id)).toBe(1);
    });

    it('keeps the role × region rules for what was sealed: another village’s entry is forbidden', async () => {
      const t = ctx();
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const elsewhere = coklit(REGION.otherVillage);
      const res = await pushAs(t.app, bearer(pantarlih.token), [await sealSubmission(await publishedKey(t.app), elsewhere)]);
      expect(res.json<PushResponse>().results[0]).toEqual({ id: elsewhere.id, outcome: 'rejected', reason: 'forbidden' });
      expect(await countSubmissions(t.db, elsewhere.id)).toBe(0);
    });
  },
  () => {
    const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-keys-'));
    keyDirs.push(keysDir);
    return { auth: TEST_AUTH, handoff: { keysDir } };
  },
);
