// The data-subject flow reads and rewrites stored answers through one codec: clear JSON as today,
// or ciphertext through the encryption at rest's key store (bound to the row), once it is on.
import { describe, expect, it } from 'vitest';
import { payloadCodec, type FieldCipher } from '../../server/services/payload-codec.ts';

/** A stand-in key store that records what it was asked and marks its output as the real one does. */
function recordingCipher(): FieldCipher & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    async encryptField(scope, plaintext, aad) {
      seen.push(`enc ${scope} ${aad}`);
      return `j1.${Buffer.from(JSON.stringify({ plaintext, aad })).toString('base64url')}`;
    },
    async decryptField(stored, aad) {
      const box = JSON.parse(Buffer.from(stored.slice(3), 'base64url').toString()) as { plaintext: string; aad: string };
      if (box.aad !== aad) throw new Error('wrong row');
      seen.push(`dec ${aad}`);
      return box.plaintext;
    },
  };
}

describe('payload codec', () => {
  it('passes clear JSON through without a key store', async () => {
    const codec = payloadCodec(undefined);
    expect(await codec.read('A', '{"nama":"Siti"}')).toBe('{"nama":"Siti"}');
    expect(await codec.write({ id: 'A', formId: 'f', receivedAt: '2026-12-07T01:00:00.000Z' }, '{"nama":"Siti"}')).toBe('{"nama":"Siti"}');
    await expect(codec.read('A', 'j1.xxx')).rejects.toThrow(/no key store/);
  });

  it('seals under the form-and-month key bound to the row, and opens only for that row', async () => {
    const cipher = recordingCipher();
    const codec = payloadCodec(cipher);
    const stored = await codec.write({ id: 'A', formId: 'ppid-permohonan', receivedAt: '2026-12-07T01:00:00.000Z' }, '{"nama":"Siti"}');
    expect(stored.startsWith('j1.')).toBe(true);
    expect(await codec.read('A', stored)).toBe('{"nama":"Siti"}');
    await expect(codec.read('B', stored)).rejects.toThrow(/wrong row/);
    expect(cipher.seen[0]).toBe('enc sub:ppid-permohonan:2026-12 submissions.payload_json:A');
  });
});
