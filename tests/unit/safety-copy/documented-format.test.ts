// A file written from docs/safety-copy.md alone, with WebCrypto here rather than the module's own
// code: if the module drifts from the documented format, this fails. Also checks that the bytes
// after the manifest must be exactly the listed attachments.
import { afterEach, describe, expect, it } from 'vitest';
import type { JangkauDb } from '../../../src/db/schema.ts';
import { importSafetyCopy } from '../../../src/lib/safety-copy.ts';
import { fileRequests, openTestDb } from '../db/test-db.ts';
import { openStoredFile } from '../../../src/db/crypto-at-rest.ts';

const PASS = 'Muntok 1, Toboali 2';
const dbs: JangkauDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});
function device(): JangkauDb {
  const db = openTestDb();
  dbs.push(db);
  return db;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function writeByTheDoc(manifest: unknown, tail: Uint8Array): Promise<Blob> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(PASS), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 310_000 }, material, 512));
  const key = await crypto.subtle.importKey('raw', bits.slice(0, 32), 'AES-GCM', false, ['encrypt']);
  const check = new Uint8Array(await crypto.subtle.digest('SHA-256', bits.slice(32))).slice(0, 16);
  const header = new TextEncoder().encode(
    'JANGKAU-CADANGAN\n' +
      JSON.stringify({ v: 1, kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 310_000, salt: b64(salt) }, cipher: { name: 'AES-GCM', iv: b64(iv) }, check: b64(check) }) +
      '\n',
  );
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  const body = new Uint8Array(4 + json.length + tail.length);
  new DataView(body.buffer).setUint32(0, json.length);
  body.set(json, 4);
  body.set(tail, 4 + json.length);
  const ciphertext = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: header }, key, body);
  return new Blob([header, ciphertext]);
}

describe('the documented format', () => {
  it('opens, attachments after the manifest included; unlisted trailing bytes are damage', async () => {
    const source = device();
    await fileRequests(source, 1);
    const outbox = await source.outbox.toArray();
    const receipts = await source.receipts.toArray();
    const photo = new Uint8Array([0xff, 0xd8, 0xff, 4, 5]);
    const sha = Buffer.from(await crypto.subtle.digest('SHA-256', photo)).toString('hex');
    const manifest = { format: 1, exportedAt: new Date().toISOString(), outbox, receipts, attachments: [{ sha256: sha, type: 'image/jpeg', bytes: 5 }] };

    const target = device();
    expect(await importSafetyCopy(target, await writeByTheDoc(manifest, photo), PASS)).toEqual({ ok: true, imported: 1, skipped: 0 });
    const stored = await target.attachments.get(sha);
    expect(stored).toMatchObject({ type: 'image/jpeg', size: 5, state: 'waiting', refs: [] });
    expect(new Uint8Array(await openStoredFile(stored!.blob)!.arrayBuffer())).toEqual(photo);
    // Bytes that are not what their listed sha256 names are damage, not a file to send.
    const misnamed = { ...manifest, attachments: [{ sha256: 'a'.repeat(64), type: 'image/jpeg', bytes: 5 }] };
    expect(await importSafetyCopy(device(), await writeByTheDoc(misnamed, photo), PASS)).toEqual({ ok: false, reason: 'damaged' });
    expect(await importSafetyCopy(device(), await writeByTheDoc({ ...manifest, attachments: [] }, photo), PASS)).toEqual({ ok: false, reason: 'damaged' });
    expect(await importSafetyCopy(device(), await writeByTheDoc({ ...manifest, outbox: [{ ...outbox[0], id: 'nope' }] }, photo), PASS)).toEqual({ ok: false, reason: 'damaged' });
    // Eight key derivations (a write and an open per case): seconds on a busy machine.
  }, 60_000);
});
