// When the link is down: a manual switch, scheduled outage windows and the profile's repeating
// up/down cycle, combined. Pure time arithmetic so the proxy only has to set one timer for the
// next change.

import type { LinkCycle } from './profiles.ts';

export interface OutageWindow {
  /** Start, in ms after the scheduleOutages() call. */
  readonly startMs: number;
  readonly durationMs: number;
}

interface Span {
  readonly from: number;
  readonly to: number;
}

function positiveModulo(a: number, n: number): number {
  return ((a % n) + n) % n;
}

export class LinkSchedule {
  private manualOffline = false;
  private windows: Span[] = [];
  private cycle: (LinkCycle & { readonly origin: number }) | undefined;

  setManualOffline(offline: boolean): void {
    this.manualOffline = offline;
  }

  /** Replaces the outage windows; times are relative to `now`. */
  setWindows(windows: readonly OutageWindow[], now: number): void {
    this.windows = windows.map((w) => {
      if (!(w.startMs >= 0 && w.durationMs >= 0)) {
        throw new RangeError(`outage window needs startMs ≥ 0 and durationMs ≥ 0: ${JSON.stringify(w)}`);
      }
      return { from: now + w.startMs, to: now + w.startMs + w.durationMs };
    });
  }

  /** Starts the cycle at `now` in its up phase; undefined means a steady link. */
  setCycle(cycle: LinkCycle | undefined, now: number): void {
    this.cycle = cycle === undefined || cycle.downMs === 0 ? undefined : { ...cycle, origin: now };
  }

  isOnline(t: number): boolean {
    if (this.manualOffline) return false;
    if (this.windows.some((w) => w.from <= t && t < w.to)) return false;
    if (this.cycle === undefined) return true;
    const { upMs, downMs, origin } = this.cycle;
    return positiveModulo(t - origin, upMs + downMs) < upMs;
  }

  /** The earliest time after `t` at which isOnline may change, or undefined if never. */
  nextChange(t: number): number | undefined {
    this.windows = this.windows.filter((w) => w.to > t);
    const candidates: number[] = [];
    for (const w of this.windows) candidates.push(w.from > t ? w.from : w.to);
    if (this.cycle !== undefined) {
      const { upMs, downMs, origin } = this.cycle;
      const period = upMs + downMs;
      const phase = positiveModulo(t - origin, period);
      candidates.push(t - phase + (phase < upMs ? upMs : period));
    }
    return candidates.length === 0 ? undefined : Math.min(...candidates);
  }
}
