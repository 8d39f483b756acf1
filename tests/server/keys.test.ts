// The server's sealing keys: made once under the data folder with private file modes, served for
// offline caching, rotated without losing what was sealed to the old key.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seal, unseal, type SealingKey } from '../../core/sealed/seal.ts';
import { loadOrCreateServerKeys, retireServerKey, rotateServerKey } from '../../server/crypto/server-keys.ts';
import { describeEachDialect } from './helpers.ts';
import { testKek } from '../support/test-kek.ts';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-keys-'));
  dirs.push(dir);
  return join(dir, 'keys');
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('server key ring', () => {
  it('is made on first start with private modes, and loaded unchanged afterwards', async () => {
    const dir = freshDir();
    const first = await loadOrCreateServerKeys(dir, testKek());
    expect(first.all).toHaveLength(1);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    const again = await loadOrCreateServerKeys(dir, testKek());
    expect(again.current.kid).toBe(first.current.kid);
    const sealed = await seal(first.current, new TextEncoder().encode('dari Pulau Nepi'));
    expect(text(await unseal(again.all, sealed))).toBe('dari Pulau Nepi');
  });

  it('rotates: a new current key, the old one still opens what was sealed to it until retired', async () => {
    const dir = freshDir();
    const before = await loadOrCreateServerKeys(dir, testKek());
    const sealedBefore = await seal(before.current, new TextEncoder().encode('lama'));
    const after = await rotateServerKey(dir, testKek(), new Date(Date.now() + 1000));
    expect(after.current.kid).not.toBe(before.current.kid);
    expect(after.all.map((k) => k.kid)).toEqual([after.current.kid, before.current.kid]);
    expect(text(await unseal((await loadOrCreateServerKeys(dir, testKek())).all, sealedBefore))).toBe('lama');

    await expect(retireServerKey(dir, testKek(), after.current.kid)).rejects.toThrow(/rotate first/);
    await retireServerKey(dir, testKek(), before.current.kid);
    const reloaded = await loadOrCreateServerKeys(dir, testKek());
    expect(reloaded.all.map((k) => k.kid)).toEqual([after.current.kid]);
    await expect(unseal(reloaded.all, sealedBefore)).rejects.toThrow(/unknown_key/);
  });
});

describeEachDialect(
  'GET /keys',
  (ctx) => {
    it('serves the current public key for caching, and the SMS number', async () => {
      const { app } = ctx();
      const res = await app.inject({ url: '/api/v1/keys' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=86400');
      const body = res.json<{ current: string; keys: { kid: string; alg: string; publicKey: string }[]; smsNumber?: string }>();
      expect(body.smsNumber).toBe('+6281100009999');
      const current = body.keys.find((k) => k.kid === body.current)!;
      expect(current.alg).toBe('ECDH-P256+HKDF-SHA256+A256GCM');
      const key: SealingKey = { kid: current.kid, raw: new Uint8Array(Buffer.from(current.publicKey, 'base64url')) };
      expect(key.raw).toHaveLength(65);
      // Nothing private is served.
      expect(res.body).not.toMatch(/"d"/);
    });

    it('keeps the SMS webhook off while no gateway secret is set', async () => {
      const { app } = ctx();
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/sms/inbound',
        payload: { from: '+6281234567890', text: 'JK1', receivedAt: new Date().toISOString(), id: '1' },
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'sms_disabled' });
    });
  },
  () => ({ handoff: { keysDir: freshDir(), smsNumber: '+6281100009999' } }),
);
