// The named weak-link profiles of DESIGN.md ("Weak-link profiles") as data, and the physical
// lower bound that benchmarks compare a sync run against.

/** A repeating link pattern: up for `upMs`, then down for `downMs`, starting "up" when applied. */
export interface LinkCycle {
  readonly upMs: number;
  readonly downMs: number;
}

export interface WeakLinkProfile {
  readonly name: string;
  /** Round-trip time; the proxy applies half of it in each direction. */
  readonly rttMs: number;
  /** Server → client capacity in bits per second (1 kbit = 1000 bits). Infinity = unshaped. */
  readonly downBps: number;
  /** Client → server capacity in bits per second. Infinity = unshaped. */
  readonly upBps: number;
  /**
   * Token-bucket depth in bytes. A radio link has no burst credit (every byte costs 8/bps
   * seconds), so the named profiles use 0 and the shaper can never beat lowerBoundMs; raise it
   * only for experiments.
   */
  readonly burstBytes?: number;
  /** Up/down pattern; absent = steady. When the link turns down, open connections are reset. */
  readonly cycle?: LinkCycle;
}

export type ProfileName = 'loopback' | 'pulau-2g' | 'pulau-edge' | 'pulau-flaky' | '3g-slow';

export const PROFILES: Readonly<Record<ProfileName, WeakLinkProfile>> = Object.freeze({
  loopback: { name: 'loopback', rttMs: 0, downBps: Infinity, upBps: Infinity },
  'pulau-2g': { name: 'pulau-2g', rttMs: 1300, downBps: 35_000, upBps: 32_000 },
  'pulau-edge': { name: 'pulau-edge', rttMs: 840, downBps: 240_000, upBps: 200_000 },
  // The cycle's down phase resets every open connection (the proxy's default offline
  // behaviour), which is how requests get cut mid-way on this profile.
  'pulau-flaky': {
    name: 'pulau-flaky',
    rttMs: 840,
    downBps: 240_000,
    upBps: 200_000,
    cycle: { upMs: 20_000, downMs: 40_000 },
  },
  '3g-slow': { name: '3g-slow', rttMs: 200, downBps: 780_000, upBps: 330_000 },
});

export function isProfileName(value: string): value is ProfileName {
  return Object.hasOwn(PROFILES, value);
}

/** Accepts a profile name or a custom profile and checks that its numbers make sense. */
export function resolveProfile(profile: ProfileName | WeakLinkProfile): WeakLinkProfile {
  const resolved = typeof profile === 'string' ? PROFILES[profile] : profile;
  if (resolved === undefined) throw new RangeError(`unknown weak-link profile: ${String(profile)}`);
  const { rttMs, downBps, upBps, burstBytes = 0, cycle } = resolved;
  if (!(rttMs >= 0 && Number.isFinite(rttMs))) throw new RangeError(`rttMs must be ≥ 0: ${rttMs}`);
  if (!(downBps > 0) || !(upBps > 0)) throw new RangeError('downBps and upBps must be > 0');
  if (!(burstBytes >= 0)) throw new RangeError(`burstBytes must be ≥ 0: ${burstBytes}`);
  if (cycle !== undefined && !(cycle.upMs > 0 && cycle.downMs >= 0)) {
    throw new RangeError('cycle needs upMs > 0 and downMs ≥ 0');
  }
  return resolved;
}

/** What a run moved over the link, as the proxy's stats() reports it. */
export interface TransferVolume {
  /** Request/response exchanges, each costing one full round trip. */
  readonly requests: number;
  /** Client → server bytes, HTTP headers included. */
  readonly bytesUp: number;
  /** Server → client bytes, HTTP headers included. */
  readonly bytesDown: number;
  /**
   * New TCP connections. Each costs one extra round trip for its handshake (the proxy models
   * it that way). Leave it out (0) to count only request round trips.
   */
  readonly connections?: number;
}

/** Time to serialise `bytes` onto a link of `bps` bits per second, in ms. */
export function transmitMs(bytes: number, bps: number): number {
  return Number.isFinite(bps) ? (bytes * 8 * 1000) / bps : 0;
}

/**
 * The physical lower bound of a run, in ms:
 *
 *   (requests + connections) × RTT + bytesUp × 8 / upBps × 1000 + bytesDown × 8 / downBps × 1000
 *
 * It assumes the exchanges are sequential (one request in flight at a time, as the sync engine
 * sends them), so round trips and the two directions' transmission never overlap; parallel
 * requests could beat it. It ignores the link's down phases (a flaky profile's real time is
 * longer) and TCP/TLS overheads other than the handshake round trip.
 */
export function lowerBoundMs(profile: ProfileName | WeakLinkProfile, volume: TransferVolume): number {
  const p = resolveProfile(profile);
  const { requests, bytesUp, bytesDown, connections = 0 } = volume;
  for (const [name, value] of Object.entries({ requests, bytesUp, bytesDown, connections })) {
    if (!(value >= 0)) throw new RangeError(`${name} must be ≥ 0: ${value}`);
  }
  return (
    (requests + connections) * p.rttMs + transmitMs(bytesUp, p.upBps) + transmitMs(bytesDown, p.downBps)
  );
}
