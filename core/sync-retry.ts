// When a phone's sync tries again, by what went wrong in its last run (issue #18). Three kinds of
// failure, three answers:
//   - the link: no answer at all (refused, reset, timed out, fetch's TypeError). On the islands a
//     phone often shows a bar and stays "online" while the link comes and goes, and the browser
//     fires no `online` event when it comes back. So the phone listens for the next window itself:
//     a try at a steady, short cadence with jitter — the push itself when requests wait (planRun),
//     a small probe when only the pull does. A link failure never grows the delay: nothing the
//     phone does makes the next window come sooner or later;
//   - a busy province: a 503 or 429 with Retry-After. Come back when it says, spread a little;
//   - any other server answer (another 5xx, a garbled answer, a refused request) or a local fault:
//     exponential full-jitter backoff (core/backoff.ts), the only delay that grows.
// A failure counts once per burst: a run that another trigger started before the retry the last
// failure scheduled, and that fails the same way, does not grow the delay again.
// docs/sync-protocol.md "When the device syncs" gives the cadence's data and battery cost.
import { DEFAULT_BACKOFF, nextDelayMs, type BackoffOptions } from './backoff.ts';

/** What ended a run that did not succeed. */
export type RunFailure =
  | { kind: 'link' }
  | { kind: 'busy'; retryAfterMs: number }
  | { kind: 'error' };

/** How a run ended: ok, a failure, or refused credentials (no timer: only a login helps). */
export type RunEnd = { kind: 'ok' } | { kind: 'auth' } | RunFailure;

export interface ProbeCadence {
  /** The cadence while the link was seen lately: windows come and go, catch the next one early. */
  fastMs: number;
  /** The cadence after a long silence. */
  slowMs: number;
  /** How long after the link last answered the fast cadence holds. */
  fastForMs: number;
  /** Each delay is the cadence times a uniform factor in [1 − jitter, 1 + jitter]. */
  jitter: number;
}

export interface RetryPolicy {
  /** For the server's answers other than busy, and for local faults. */
  backoff: BackoffOptions;
  probe: ProbeCadence;
  /** A busy server's Retry-After gets up to this much added, so its phones do not return at once. */
  busySpreadMs: number;
}

/**
 * 1.2–1.8 s for two minutes after the link last answered, then 2.4–3.6 s. The push of 20 requests
 * takes ~5–6 s on a link slower than 2G (a fresh connection's round trip, its own, the upload and
 * the answer), so an 8-second window must be found in its first seconds; a slower cadence sleeps
 * through most of them. An hour with no signal costs about 1,200 attempts, ~120 kB at most
 * (docs/sync-protocol.md).
 */
export const DEFAULT_PROBE: ProbeCadence = Object.freeze({ fastMs: 1_500, slowMs: 3_000, fastForMs: 120_000, jitter: 0.2 });

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ backoff: DEFAULT_BACKOFF, probe: DEFAULT_PROBE, busySpreadMs: 1_000 });

/** The longest wait a link failure can bring: the slow cadence at its highest jitter. */
export function probeCapMs(probe: ProbeCadence = DEFAULT_PROBE): number {
  return Math.ceil(Math.max(probe.fastMs, probe.slowMs) * (1 + Math.max(0, probe.jitter)));
}

/** The retry bookkeeping kept across runs (and restarts). */
export interface RetryState {
  /** Failures counted in a row (server answers and local faults; not the link, not busy). */
  failures: number;
  /** When the next run is due; absent when nothing is pending. */
  nextAttemptAt?: number;
  /** When the link last carried an answer (any HTTP status), ms since epoch. */
  linkSeenAt?: number;
  /** The last run ended for want of a link: the next one probes before it sends. */
  linkDown: boolean;
}

export interface RunFacts {
  /** When the run started and ended. */
  startedAt: number;
  endedAt: number;
  /**
   * Some request of the run got an answer, or was reset while under way (so the link was there,
   * whatever the outcome; a connection refused at once or a timeout is not the link seen).
   */
  answered: boolean;
  /** Items wait to be sent. With nothing to send, a lost link is retried on the backoff, not probed. */
  hasWork: boolean;
}

const clamp01 = (r: number) => (Number.isFinite(r) ? Math.min(Math.max(r, 0), 0.999_999_999) : 0);

/** The delay until the next probe after a link failure at `at`. Never above probeCapMs. */
export function probeDelayMs(linkSeenAt: number | undefined, at: number, probe: ProbeCadence = DEFAULT_PROBE, random: () => number = Math.random): number {
  const lately = linkSeenAt !== undefined && at - linkSeenAt < probe.fastForMs;
  const base = lately ? probe.fastMs : probe.slowMs;
  const jitter = Math.min(Math.max(probe.jitter, 0), 1);
  return Math.round(base * (1 - jitter + 2 * jitter * clamp01(random())));
}

/**
 * The state after a run. Pure: the clock and the dice come in as arguments.
 * - ok: everything resets; the link was seen.
 * - auth: no timer; the count is kept.
 * - link: the probe cadence (with work to send), the count is kept;
 * - busy: Retry-After plus a spread, the count is kept;
 * - error: exponential backoff on the count, grown once per burst.
 */
export function afterRun(
  state: RetryState,
  end: RunEnd,
  facts: RunFacts,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): RetryState {
  const at = facts.endedAt;
  const linkSeenAt = facts.answered ? at : state.linkSeenAt;
  const seen = linkSeenAt !== undefined ? { linkSeenAt } : {};
  switch (end.kind) {
    case 'ok':
      return { failures: 0, linkDown: false, ...seen };
    case 'auth':
      return { failures: state.failures, linkDown: false, ...seen };
    case 'busy':
      return {
        failures: state.failures,
        linkDown: false,
        nextAttemptAt: at + Math.max(0, end.retryAfterMs) + Math.floor(clamp01(random()) * (policy.busySpreadMs + 1)),
        ...seen,
      };
    case 'link':
      if (facts.hasWork) {
        return { failures: state.failures, linkDown: true, nextAttemptAt: at + probeDelayMs(linkSeenAt, at, policy.probe, random), ...seen };
      }
      return { ...counted(state, facts, policy, random), linkDown: true, ...seen };
    case 'error':
      return { ...counted(state, facts, policy, random), linkDown: false, ...seen };
  }
}

/** How a run goes about a link that failed last time (issue #18). */
export interface RunPlan {
  /** A HEAD of a few hundred bytes asks whether the link is back before anything else goes. */
  probeFirst: boolean;
  /** The push goes alone first, the pull only after every push was answered. */
  pushBeforePull: boolean;
  /** The first push carries what the link moves in a short window (src/sync/batching.ts fitBytes). */
  fitFirstPush: boolean;
}

/**
 * After a lost link with items to send, the push itself is the probe: it costs the same when the
 * link is still down (one refused connection: the body leaves only once the connection stands)
 * and saves a probe's round trips (3 s of an 8 s window on a link slower than 2G) when it is back.
 * It goes alone, ahead of the pull, so it has the window's first connection and its uplink to
 * itself; and it carries what fits the window. With nothing to send, the probe stays: the pull
 * and a forms fetch are not worth a window's first seconds. "Kirim sekarang" (manual) never
 * probes: the person is watching. A run after one that reached the link changes nothing.
 */
export function planRun(linkDown: boolean, hasWork: boolean, manual: boolean): RunPlan {
  if (!linkDown) return { probeFirst: false, pushBeforePull: false, fitFirstPush: false };
  if (hasWork) return { probeFirst: false, pushBeforePull: true, fitFirstPush: true };
  return { probeFirst: !manual, pushBeforePull: false, fitFirstPush: false };
}

/** A failure that grows the backoff, once per burst. */
function counted(state: RetryState, facts: RunFacts, policy: RetryPolicy, random: () => number): { failures: number; nextAttemptAt: number } {
  const at = facts.endedAt;
  // Started before the retry the last failure scheduled (another trigger fired): the same burst.
  const sameBurst = state.failures > 0 && state.nextAttemptAt !== undefined && facts.startedAt < state.nextAttemptAt;
  if (sameBurst) {
    return { failures: state.failures, nextAttemptAt: Math.max(state.nextAttemptAt!, at + nextDelayMs(state.failures - 1, policy.backoff, random)) };
  }
  return { failures: state.failures + 1, nextAttemptAt: at + nextDelayMs(state.failures, policy.backoff, random) };
}
