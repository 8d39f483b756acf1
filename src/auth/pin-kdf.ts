// The PIN's key derivation: Argon2id, memory-hard, so each guess at a copied IndexedDB costs the
// attacker the same memory and time it costs the phone (docs/security.md gives the figures).
// WebAssembly (hash-wasm) where the page may compile it; the same function in plain JavaScript
// (@noble/hashes) where it may not (Chromium before 97 refuses WebAssembly under a CSP without
// 'unsafe-eval'): slower there, never failing, and both give the same bytes. Loaded with the PIN
// screens only, never on the resident's first load.

/** Argon2id cost. `memoryKiB` in KiB (1024 bytes), as the RFC 9106 parameter m. */
export interface PinKdfParams {
  alg: 'argon2id';
  memoryKiB: number;
  passes: number;
  lanes: number;
}

/**
 * What a phone pays per PIN try: 19 MiB, 2 passes, 1 lane (OWASP's first Argon2id setting), about
 * 1.2 s in Chromium at 4× CPU throttle (an entry-level Android), measured with bench/pin-kdf.ts;
 * the figures are in docs/security.md.
 */
export const PHONE_PIN_KDF: PinKdfParams = { alg: 'argon2id', memoryKiB: 19 * 1024, passes: 2, lanes: 1 };

const KEY_BYTES = 32;

/** The 32-byte key the PIN and the salt give under `params`. */
export async function derivePinKey(pin: string, salt: Uint8Array, params: PinKdfParams): Promise<Uint8Array> {
  const password = new TextEncoder().encode(pin);
  try {
    const { argon2id } = await import('hash-wasm');
    return await argon2id({
      password,
      salt,
      iterations: params.passes,
      parallelism: params.lanes,
      memorySize: params.memoryKiB,
      hashLength: KEY_BYTES,
      outputType: 'binary',
    });
  } catch (error) {
    // Only a page that may not run WebAssembly falls back; any other failure is a real one.
    if (typeof WebAssembly === 'object' && !(error instanceof WebAssembly.CompileError) && !isCspRefusal(error)) throw error;
    const { argon2idAsync } = await import('@noble/hashes/argon2.js');
    return argon2idAsync(password, salt, { t: params.passes, m: params.memoryKiB, p: params.lanes, dkLen: KEY_BYTES });
  }
}

function isCspRefusal(error: unknown): boolean {
  return error instanceof Error && /unsafe-eval|Content Security Policy|WebAssembly/i.test(error.message);
}
