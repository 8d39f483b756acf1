// One direction of one connection across the emulated link. Items pass two stages, in order:
// transmission (slices reserved on the direction's shared token bucket, one slice at a time so
// connections interleave) and propagation (a fixed one-way delay). Nothing overtakes anything,
// so bytes, end-of-stream and injected actions keep their order.

import type { TokenBucket } from './token-bucket.ts';

/** What a pipe needs from the link it crosses. */
export interface PipeEnv {
  now(): number;
  readonly bucket: TokenBucket;
  oneWayMs(): number;
  /** False while the link is down and connections are kept hanging: nothing moves. */
  flowing(): boolean;
}

/** Receives bytes at the far end; `dropped` bytes crossed the link but go to no socket. */
export type PipeSink = (bytes: Buffer, dropped: boolean) => void;

type Queued =
  | { kind: 'data'; bytes: Buffer; readonly dropped: boolean }
  | { kind: 'pause'; readonly ms: number }
  | { kind: 'action'; readonly run: () => void };

type Launched =
  | { readonly kind: 'data'; readonly bytes: Buffer; readonly dropped: boolean; readonly arriveAt: number }
  | { readonly kind: 'action'; readonly run: () => void; readonly arriveAt: number };

// Timers may fire a little early against performance.now(); this much early counts as on time.
const TIMER_SLACK_MS = 0.5;

export class Pipe {
  /** Nothing is transmitted before this time (the TCP handshake gate). */
  private notBefore = 0;
  private readonly queue: Queued[] = [];
  private readonly flight: Launched[] = [];
  private txTimer: NodeJS.Timeout | undefined;
  private rxTimer: NodeJS.Timeout | undefined;
  private streaming = false;
  private lastFinish = 0;
  private lastArrival = -Infinity;
  private pending = 0;
  private disposed = false;

  constructor(
    private readonly env: PipeEnv,
    private readonly sink: PipeSink,
    private readonly onDrain: () => void,
    private readonly lowWaterBytes: number,
  ) {}

  /** Bytes accepted but not yet arrived at the far end. */
  get pendingBytes(): number {
    return this.pending;
  }

  /** Holds transmission until `time` (Infinity = until called again). */
  gate(time: number): void {
    this.notBefore = time;
    this.kick();
  }

  write(bytes: Buffer, dropped = false): void {
    if (this.disposed || bytes.length === 0) return;
    this.queue.push({ kind: 'data', bytes, dropped });
    this.pending += bytes.length;
    this.pumpTransmit();
  }

  /** Sends nothing for `ms` once everything queued before has been transmitted. */
  pause(ms: number): void {
    if (this.disposed) return;
    this.queue.push({ kind: 'pause', ms });
    this.pumpTransmit();
  }

  /** Runs `run` at the far end after everything queued before it has arrived there. */
  then(run: () => void): void {
    if (this.disposed) return;
    this.queue.push({ kind: 'action', run });
    this.pumpTransmit();
  }

  /** Resumes after the link comes back or the gate opens. */
  kick(): void {
    this.pumpTransmit();
    this.pumpFlight();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.txTimer);
    clearTimeout(this.rxTimer);
    this.txTimer = undefined;
    this.rxTimer = undefined;
    this.queue.length = 0;
    this.flight.length = 0;
    this.pending = 0;
  }

  private launch(item: Extract<Queued, { kind: 'data' | 'action' }>, sentAt: number): void {
    // A later setProfile() may shorten the delay; max() keeps the order anyway.
    const arriveAt = Math.max(sentAt + this.env.oneWayMs(), this.lastArrival);
    this.lastArrival = arriveAt;
    this.flight.push({ ...item, arriveAt });
    this.pumpFlight();
  }

  private pumpTransmit(): void {
    if (this.disposed || this.txTimer !== undefined) return;
    for (;;) {
      const head = this.queue[0];
      if (head === undefined || !this.env.flowing()) {
        this.streaming = false;
        return;
      }
      const now = this.env.now();
      if (now + TIMER_SLACK_MS < this.notBefore) {
        this.streaming = false;
        if (Number.isFinite(this.notBefore)) this.wait('tx', this.notBefore - now);
        return;
      }
      if (head.kind === 'pause') {
        this.queue.shift();
        this.streaming = false;
        this.wait('tx', head.ms);
        return;
      }
      if (head.kind === 'action') {
        this.queue.shift();
        this.launch(head, Math.max(now, this.streaming ? this.lastFinish : now));
        if (this.disposed) return;
        continue;
      }
      const size = Math.min(head.bytes.length, this.env.bucket.sliceBytes());
      const slice = head.bytes.subarray(0, size);
      head.bytes = head.bytes.subarray(size);
      if (head.bytes.length === 0) this.queue.shift();
      const finish = this.env.bucket.reserve(size, this.streaming ? this.lastFinish : now);
      this.lastFinish = finish;
      this.streaming = true;
      this.launch({ kind: 'data', bytes: slice, dropped: head.dropped }, finish);
      if (this.disposed) return;
      if (finish > now + TIMER_SLACK_MS) {
        this.wait('tx', finish - now);
        return;
      }
    }
  }

  private pumpFlight(): void {
    if (this.disposed || this.rxTimer !== undefined) return;
    for (;;) {
      const head = this.flight[0];
      if (head === undefined || !this.env.flowing()) return;
      const now = this.env.now();
      if (head.arriveAt > now + TIMER_SLACK_MS) {
        this.wait('rx', head.arriveAt - now);
        return;
      }
      this.flight.shift();
      if (head.kind === 'action') {
        head.run();
      } else {
        this.pending -= head.bytes.length;
        this.sink(head.bytes, head.dropped);
        if (this.pending <= this.lowWaterBytes) this.onDrain();
      }
      if (this.disposed) return;
    }
  }

  private wait(stage: 'tx' | 'rx', ms: number): void {
    const timer = setTimeout(
      () => {
        if (stage === 'tx') {
          this.txTimer = undefined;
          this.pumpTransmit();
        } else {
          this.rxTimer = undefined;
          this.pumpFlight();
        }
      },
      Math.max(1, Math.ceil(ms)),
    );
    if (stage === 'tx') this.txTimer = timer;
    else this.rxTimer = timer;
  }
}
