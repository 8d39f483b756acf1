// Which request gets which fault. Rules are checked in the order they were added; the first
// that fires wins. Decisions depend only on the order of requests and the seed, so a chaos run
// replays the same way with the same seed.

import type { RequestHead } from './http-framer.ts';

export type Fault =
  /**
   * Forward only part of the request upstream, then reset both sides: the server never gets a
   * complete request. Default part: the head plus half the body (half the head if no body).
   */
  | { readonly kind: 'reset-before-commit'; readonly forwardBytes?: number }
  /** Forward the whole request; when the response starts, reset the client and drop it. */
  | { readonly kind: 'reset-after-commit' }
  /** Hold the response for `ms` after its first `afterBytes` bytes (default 0), then go on. */
  | { readonly kind: 'stall'; readonly ms: number; readonly afterBytes?: number }
  /** Answer `status` (default 503) without forwarding the request; then close the connection. */
  | { readonly kind: '5xx'; readonly status?: number };

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = ['reset-before-commit', 'reset-after-commit', 'stall', '5xx'];

export interface FaultTrigger {
  /** Fire for at most this many requests (default 1, or unlimited when `probability` is set). */
  readonly next?: number;
  /** Fire with this probability per matching request, drawn from the seeded PRNG. */
  readonly probability?: number;
  /** Only requests for which this returns true are considered (and consume PRNG draws). */
  readonly match?: (head: RequestHead) => boolean;
}

export type FaultInjection = Fault & FaultTrigger;

interface Rule {
  readonly fault: Fault;
  remaining: number;
  readonly probability: number | undefined;
  readonly match: ((head: RequestHead) => boolean) | undefined;
}

function checkFault(fault: Fault): void {
  switch (fault.kind) {
    case 'reset-before-commit':
      if (fault.forwardBytes !== undefined && !(Number.isInteger(fault.forwardBytes) && fault.forwardBytes >= 0)) {
        throw new RangeError(`forwardBytes must be an integer ≥ 0: ${fault.forwardBytes}`);
      }
      return;
    case 'stall':
      if (!(fault.ms >= 0 && Number.isFinite(fault.ms))) throw new RangeError(`stall ms must be ≥ 0: ${fault.ms}`);
      if (fault.afterBytes !== undefined && !(Number.isInteger(fault.afterBytes) && fault.afterBytes >= 0)) {
        throw new RangeError(`afterBytes must be an integer ≥ 0: ${fault.afterBytes}`);
      }
      return;
    case '5xx': {
      const status = fault.status ?? 503;
      if (!(Number.isInteger(status) && status >= 500 && status <= 599)) {
        throw new RangeError(`5xx status must be 500–599: ${status}`);
      }
      return;
    }
    case 'reset-after-commit':
      return;
  }
}

function withoutTrigger(injection: FaultInjection): Fault {
  const { next: _next, probability: _probability, match: _match, ...fault } = injection;
  return fault as Fault;
}

export class FaultPlan {
  private rules: Rule[] = [];

  constructor(private readonly random: () => number) {}

  /** Adds a rule; returns a function that removes it. */
  add(injection: FaultInjection): () => void {
    const fault = withoutTrigger(injection);
    checkFault(fault);
    const { next, probability, match } = injection;
    if (next !== undefined && !(Number.isInteger(next) && next > 0)) {
      throw new RangeError(`next must be a positive integer: ${next}`);
    }
    if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
      throw new RangeError(`probability must be within [0, 1]: ${probability}`);
    }
    const rule: Rule = {
      fault,
      remaining: next ?? (probability === undefined ? 1 : Infinity),
      probability,
      match,
    };
    this.rules.push(rule);
    return () => {
      this.rules = this.rules.filter((r) => r !== rule);
    };
  }

  clear(): void {
    this.rules = [];
  }

  get pending(): number {
    return this.rules.length;
  }

  /** The fault for this request, if any; consumes one use of the rule that fired. */
  decide(head: RequestHead): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.match !== undefined && !rule.match(head)) continue;
      if (rule.probability !== undefined && !(this.random() < rule.probability)) continue;
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
      return rule.fault;
    }
    return undefined;
  }
}
