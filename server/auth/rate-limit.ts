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

export interface FailureDelayOptions {
  /** Tries answered without delay (typos happen). */
  free: number;
  /** The wait after the first try past the free ones; it doubles with each further try. */
  baseMs: number;
  maxMs: number;
  /** A key with no try for this long starts afresh. */
  forgetMs: number;
}

/**
 * Growing delay instead of a lockout: under one key, every try past the free ones must wait
 * `baseMs · 2^(tries − free)` (at most `maxMs`) after the previous one; a try too early is refused
 * without looking at the password. A try counts as failed from its start, so a burst of parallel
 * guesses gets no more than the free ones through; a success clears the key. Keys name who tries
 * (a username from one network, one device token), so a stranger's guesses slow only the stranger.
 */
export class FailureDelay {
  private readonly tries = new Map<string, { count: number; lastAt: number }>();

  constructor(
    private readonly options: FailureDelayOptions,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  private waitAfter(count: number): number {
    if (count < this.options.free) return 0;
    return Math.min(this.options.baseMs * 2 ** (count - this.options.free), this.options.maxMs);
  }

  /** Counts a try under `key` (as failed until `succeeded`), or says how long to wait first. */
  attempt(key: string): LimitVerdict {
    const now = this.now();
    let entry = this.tries.get(key);
    if (entry && now - entry.lastAt >= this.options.forgetMs) entry = undefined;
    if (entry) {
      const readyAt = entry.lastAt + this.waitAfter(entry.count);
      if (now < readyAt) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((readyAt - now) / 1000)) };
    } else if (this.tries.size >= this.maxKeys) {
      this.evict(now);
    }
    this.tries.set(key, { count: (entry?.count ?? 0) + 1, lastAt: now });
    return { ok: true };
  }

  /** Takes back a try that never reached the password check (the server was busy). */
  withdraw(key: string): void {
    const entry = this.tries.get(key);
    if (entry) entry.count = Math.max(0, entry.count - 1);
  }

  succeeded(key: string): void {
    this.tries.delete(key);
  }

  private evict(now: number): void {
    for (const [key, e] of this.tries) if (now - e.lastAt >= this.options.forgetMs) this.tries.delete(key);
    if (this.tries.size >= this.maxKeys) {
      const oldest = this.tries.keys().next();
      if (!oldest.done) this.tries.delete(oldest.value);
    }
  }
}

/**
 * A few slots for password hashing, so a flood of logins cannot take libuv's whole thread pool
 * (shared with file I/O and uploads): a try beyond the slots waits in a short queue, and one that
 * finds the queue full, or waits too long, is refused (503 with Retry-After by the caller).
 */
export class Slots {
  private active = 0;
  private readonly waiting: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly options: { slots: number; queue: number; maxWaitMs: number },
  ) {}

  /** A release function once a slot is free, or undefined when the caller must give up. */
  acquire(): Promise<(() => void) | undefined> {
    if (this.active < this.options.slots) {
      this.active += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.options.queue) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const entry = {
        grant: () => {
          clearTimeout(entry.timer);
          resolve(this.releaser());
        },
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(entry);
          if (at >= 0) this.waiting.splice(at, 1);
          resolve(undefined);
        }, this.options.maxWaitMs),
      };
      entry.timer.unref();
      this.waiting.push(entry);
    });
  }

  /** Releasing hands the slot straight to the next waiter, so `active` never overshoots. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.active -= 1;
    };
  }
}
