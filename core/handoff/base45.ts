// Base45 (RFC 9285): bytes as the 45 characters of a QR code's alphanumeric mode, which packs
// them at 5.5 bits each. Byte mode would carry binary at 8 bits, but what a scanner hands back
// (BarcodeDetector's rawValue is a string) does not reliably survive binary; text does.
export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export function toBase45(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    for (let k = 0; k < 3; k++) {
      out += BASE45_ALPHABET[n % 45];
      n = Math.floor(n / 45);
    }
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1]!;
    out += BASE45_ALPHABET[n % 45]! + BASE45_ALPHABET[Math.floor(n / 45)]!;
  }
  return out;
}

/** The bytes, or undefined when the text is not valid base45. */
export function fromBase45(text: string): Uint8Array | undefined {
  if (text.length % 3 === 1) return undefined;
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let at = 0;
  for (let i = 0; i < text.length; i += 3) {
    const chunk = text.slice(i, i + 3);
    let n = 0;
    for (let k = chunk.length - 1; k >= 0; k--) {
      const v = BASE45_ALPHABET.indexOf(chunk[k]!);
      if (v < 0) return undefined;
      n = n * 45 + v;
    }
    if (chunk.length === 3) {
      if (n > 0xffff) return undefined;
      out[at++] = n >> 8;
      out[at++] = n & 0xff;
    } else {
      if (n > 0xff) return undefined;
      out[at++] = n;
    }
  }
  return out;
}
