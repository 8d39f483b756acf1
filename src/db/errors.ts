// Storage failures the caller must handle as values (convention 10), told apart from bugs.

/**
 * True when a write failed because the origin's storage quota is full. Browsers raise a
 * DOMException named QuotaExceededError; Dexie wraps it in a DexieError of the same name and keeps
 * the original as `inner`.
 */
export function isQuotaError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { name, inner } = e as { name?: unknown; inner?: unknown };
    if (name === 'QuotaExceededError') return true;
    e = inner;
  }
  return false;
}
