// A PIN KDF cost far below a phone's, for tests about what is stored rather than what a try costs
// (tests/security/pin-offline.test.ts measures the real parameters).
import type { PinKdfParams } from '../../src/auth/pin-kdf.ts';

export const FAST_KDF: PinKdfParams = { alg: 'argon2id', memoryKiB: 64, passes: 1, lanes: 1 };
