// A ULID as its 16 bytes (128 bits) and back: 10 bytes fewer than its text in a QR code or SMS.
const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The 16 bytes of a ULID, or undefined when `id` is not one. */
export function ulidToBytes(id: string): Uint8Array | undefined {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(id)) return undefined;
  let n = 0n;
  for (const ch of id) n = n * 32n + BigInt(ULID_ALPHABET.indexOf(ch));
  const out = new Uint8Array(16);
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

export function bytesToUlid(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = ULID_ALPHABET[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}
