// One direction of the radio link: a token bucket kept as a virtual clock (the time at which the
// link finishes sending what it already accepted). Every connection in that direction reserves
// from the same bucket, because a phone has one radio, not one per socket.

export class TokenBucket {
  /** When the link finishes serialising everything reserved so far (ms, proxy clock). */
  private freeAt = -Infinity;

  constructor(
    private bps: number,
    private burstBytes = 0,
  ) {}

  setRate(bps: number, burstBytes = 0): void {
    this.bps = bps;
    this.burstBytes = burstBytes;
  }

  get unshaped(): boolean {
    return !Number.isFinite(this.bps);
  }

  /**
   * Reserves the link for `bytes` and returns when their last bit is sent. `earliest` is when
   * the sender had them ready: "now" for fresh data, or the finish time of the sender's previous
   * slice when it is streaming, so late timers do not add up into lost bandwidth.
   * The burst lets a sender that was idle start up to burstBytes' worth of time "in the past".
   */
  reserve(bytes: number, earliest: number): number {
    if (this.unshaped) return earliest;
    const msPerByte = 8000 / this.bps;
    const start = Math.max(this.freeAt, earliest - this.burstBytes * msPerByte);
    this.freeAt = start + bytes * msPerByte;
    return this.freeAt;
  }

  /** Slice size that keeps pacing smooth: about 20 ms of link time, within [128 B, 16 KiB]. */
  sliceBytes(): number {
    if (this.unshaped) return Infinity;
    return Math.min(16 * 1024, Math.max(128, Math.round((this.bps / 8) * 0.02)));
  }
}
