// Sealing to the server's key: round trip, compact size, and every kind of refusal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressPoint, decompressPoint } from '../../../core/sealed/p256-point.ts';
import { seal, SEAL_OVERHEAD, sealedKeyId, tryUnseal, unseal, SealError } from '../../../core/sealed/seal.ts';
import { makeServerKey } from './test-key.ts';
import { packEnvelope, unpackEnvelope } from '../../../core/sealed/envelope-codec.ts';
import { openSealedEnvelope, sealEnvelope } from '../../../core/sealed/sealed-envelope.ts';
import { canonicalJson } from '../../../core/hash.ts';
import { randomSecret, ulid } from '../../../core/ids.ts';
import type { SubmissionEnvelope } from '../../../core/protocol.ts';

const EC = { name: 'ECDH', namedCurve: 'P-256' } as const;

const bytes = (text: string) => new TextEncoder().encode(text);

describe('seal / unseal', () => {
  it('round-trips and adds a fixed, small overhead', async () => {
    const key = await makeServerKey();
    const plain = bytes('Permohonan informasi dari Pulau Lepar');
    const sealed = await seal(key, plain);
    expect(sealed.length).toBe(plain.length + SEAL_OVERHEAD);
    expect(SEAL_OVERHEAD).toBe(54);
    expect(sealedKeyId(sealed)).toBe(key.kid);
    expect(new TextDecoder().decode(await unseal(key, sealed))).toBe('Permohonan informasi dari Pulau Lepar');
  });

  it('seals the same bytes differently every time (fresh ephemeral key)', async () => {
    const key = await makeServerKey();
    const a = await seal(key, bytes('sama'));
    const b = await seal(key, bytes('sama'));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('refuses any changed byte, a cut message, another key and garbage', async () => {
    const key = await makeServerKey();
    const other = await makeServerKey();
    const sealed = await seal(key, bytes('isi rahasia'));
    for (const at of [0, 3, 10, 40, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[at]! ^= 0x01;
      const result = await tryUnseal(key, bad);
      expect(result.ok, `byte ${at}`).toBe(false);
    }
    expect(await tryUnseal(key, sealed.slice(0, sealed.length - 1))).toEqual({ ok: false, reason: 'integrity' });
    expect(await tryUnseal(other, sealed)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(await tryUnseal(key, bytes('bukan pesan'))).toEqual({ ok: false, reason: 'format' });
    await expect(unseal(other, sealed)).rejects.toBeInstanceOf(SealError);
  });

  it('opens with whichever of several keys the message names (rotation)', async () => {
    const old = await makeServerKey();
    const current = await makeServerKey();
    const sealed = await seal(old, bytes('dibawa petugas tiga hari'));
    expect(new TextDecoder().decode(await unseal([current, old], sealed))).toBe('dibawa petugas tiga hari');
  });

  it('compresses and decompresses P-256 points exactly', async () => {
    for (let i = 0; i < 10; i++) {
      const pair = (await crypto.subtle.generateKey(EC, true, ['deriveBits'])) as CryptoKeyPair;
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
      expect(Buffer.from(decompressPoint(compressPoint(raw))).equals(Buffer.from(raw))).toBe(true);
    }
    // x = 1 has no y on P-256; x = 5 has one, and WebCrypto (which checks) accepts it.
    const point = (x: number) => Uint8Array.from({ length: 33 }, (_, i) => (i === 0 ? 0x02 : i === 32 ? x : 0));
    expect(() => decompressPoint(point(1))).toThrow(/not on P-256/);
    await expect(crypto.subtle.importKey('raw', decompressPoint(point(5)) as Uint8Array<ArrayBuffer>, EC, false, [])).resolves.toBeDefined();
  });
});

describe('packed envelopes', () => {
  const envelope: SubmissionEnvelope = {
    id: ulid(),
    formId: 'ppid-permohonan',
    formVersion: 1,
    createdAt: '2026-11-28T08:38:12.123Z',
    data: { nama: 'Siti Aminah', rincian: 'Salinan SK penetapan DPT Desa Tanjung Labu, Pulau Lepar', jumlah: 2, setuju: true },
    secret: randomSecret(),
  };

  it('round-trip to the same envelope, so the payload hash is the same', async () => {
    const back = await unpackEnvelope(await packEnvelope(envelope));
    expect(back).toEqual(envelope);
    expect(canonicalJson(back)).toBe(canonicalJson(envelope));
  });

  it('open whichever way they were compressed: raw deflate, or zlib from phones older than Chromium 103', async () => {
    const raw = await packEnvelope(envelope, undefined, { raw: true });
    const zlib = await packEnvelope(envelope, undefined, { raw: false });
    expect([raw[0], zlib[0]]).toEqual([0, 1]);
    expect(await unpackEnvelope(raw)).toEqual(envelope);
    expect(await unpackEnvelope(zlib)).toEqual(envelope);
  });

  it('carry the voter record a coklit updates and its base version inside, whatever they are (issue #13)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-f0-9]{32}$/), fc.integer({ min: 1, max: 1_000_000_000 }), async (id, baseVersion) => {
        const coklit = { ...envelope, formId: 'coklit-pilkada', record: { id, baseVersion } };
        expect(await unpackEnvelope(await packEnvelope(coklit))).toEqual(coklit);
      }),
      { numRuns: 50 },
    );
  });

  it('keep a creation time or secret in an unusual form exactly as written', async () => {
    const odd = { ...envelope, createdAt: '2026-11-28T15:38:12+07:00', secret: 'a-secret-with=padding==' };
    expect(await unpackEnvelope(await packEnvelope(odd))).toEqual(odd);
  });

  it('are sealed and opened as one step, and a wrong key is refused', async () => {
    const key = await makeServerKey();
    const sealed = await sealEnvelope(key, envelope);
    expect(await openSealedEnvelope(key, sealed)).toEqual({ ok: true, envelope });
    expect((await openSealedEnvelope(await makeServerKey(), sealed)).ok).toBe(false);
  });
});
