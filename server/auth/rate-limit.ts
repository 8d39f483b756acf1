// A small fixed-window limiter in memory. Per process: with several API processes each counts on
// its own, so the effective limit is the sum; that still stops a brute-force run cold, and keeps
// the database out of the hot path of refusing it.
export interface WindowLimit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: WindowLimit,
    private readonly now: () => number = Date.now,
    /** Keys kept at most; the oldest windows go first when it is reached. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one request under `key` and says whether it is within the limit. */
  hit(key: string): LimitVerdict {
    const now = this.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.limit.windowMs) {
      if (!w && this.windows.size >= this.maxKeys) this.evict(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    if (w.count <= this.limit.max) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + this.limit.windowMs - now) / 1000)) };
  }

  private evict(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.limit.windowMs) this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next();
      if (!oldest.done) this.windows.delete(oldest.value);
    }
  }
}

/**
 * The key a client address is limited under: an IPv4 address as it is, an IPv6 address by its /64.
 * One IPv6 subscriber gets a whole /64 (often more) and may use any address in it, so keying on the
 * full address would give each request a fresh limit. IPv4-mapped addresses count as IPv4.
 */
export function clientNetwork(ip: string): string {
  const address = ip.split('%')[0]!.toLowerCase();
  if (!address.includes(':')) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1]!;
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::1.2.3.4) sits in the last 32 bits, never in the /64 prefix.
  const missing = 8 - left.length - right.length - (right.at(-1)?.includes('.') ? 1 : 0);
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}
