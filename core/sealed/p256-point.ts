// P-256 public keys in compressed form (33 bytes instead of 65): every byte counts in an SMS.
// WebCrypto imports and exports only the uncompressed form, so compression is done here with
// BigInt, which the page, the service worker and Node all have.

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

export const COMPRESSED_POINT_BYTES = 33;
export const UNCOMPRESSED_POINT_BYTES = 65;

function toBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function toBytes32(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let rest = n;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** y² = x³ − 3x + b over P-256's field. */
function rightHandSide(x: bigint): bigint {
  return (((x * x * x - 3n * x + B) % P) + P) % P;
}

/** 0x04‖x‖y → 0x02/0x03‖x. */
export function compressPoint(uncompressed: Uint8Array): Uint8Array {
  if (uncompressed.length !== UNCOMPRESSED_POINT_BYTES || uncompressed[0] !== 0x04) {
    throw new Error('not an uncompressed P-256 point');
  }
  const out = new Uint8Array(COMPRESSED_POINT_BYTES);
  out[0] = (uncompressed[64]! & 1) === 1 ? 0x03 : 0x02;
  out.set(uncompressed.subarray(1, 33), 1);
  return out;
}

/** 0x02/0x03‖x → 0x04‖x‖y; throws when x is not on the curve. */
export function decompressPoint(compressed: Uint8Array): Uint8Array {
  const prefix = compressed[0];
  if (compressed.length !== COMPRESSED_POINT_BYTES || (prefix !== 0x02 && prefix !== 0x03)) {
    throw new Error('not a compressed P-256 point');
  }
  const x = toBigInt(compressed.subarray(1));
  if (x >= P) throw new Error('point is not on P-256');
  const rhs = rightHandSide(x);
  // P ≡ 3 (mod 4), so a square root is rhs^((P+1)/4).
  let y = modPow(rhs, (P + 1n) / 4n, P);
  if ((y * y) % P !== rhs) throw new Error('point is not on P-256');
  if (Number(y & 1n) !== (prefix & 1)) y = P - y;
  const out = new Uint8Array(UNCOMPRESSED_POINT_BYTES);
  out[0] = 0x04;
  out.set(compressed.subarray(1), 1);
  out.set(toBytes32(y), 33);
  return out;
}
