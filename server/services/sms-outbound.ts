// Delivers queued status SMS (server/repositories/sms-outbox.ts) to the SMS gateway: a small
// in-process worker. It runs when the server starts (so a restart resumes what was pending),
// when this process commits a status change, when a retry falls due, and every minute for what
// another process queued (the CLI, a second API process). At least once: a message whose answer
// got lost is sent again, and the gateway deduplicates on ref + status + to (docs/handoff.md).
// Logs carry receipt ids, statuses and counts only; never a number or a text.
import type { FastifyBaseLogger } from 'fastify';
import { nextDelayMs, type BackoffOptions } from '../../core/backoff.ts';
import type { OutboundSms, SmsOutbox } from '../repositories/sms-outbox.ts';
import { checkOutboundUrl, signedGatewayHeaders } from '../http/gateway-signature.ts';

export interface StatusSmsGateway {
  /** SMS_GATEWAY_OUTBOUND_URL: where each status SMS is POSTed (https, or http to loopback). */
  url: string;
  /** SMS_GATEWAY_OUTBOUND_SECRET: signs each call (never sent); not the webhook's secret. */
  secret: string;
}

export interface StatusSmsSenderOptions {
  gateway: StatusSmsGateway;
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>;
  /** The clock; tests move it forward instead of waiting. */
  now?: () => Date;
  /** For the backoff's jitter. */
  random?: () => number;
  /** How long a gateway call may take. */
  timeoutMs?: number;
  /** How often to look for messages this process did not queue. */
  pollMs?: number;
}

/** Half a minute, doubling up to an hour: a gateway that is down for a while is not hammered. */
export const OUTBOUND_BACKOFF: BackoffOptions = Object.freeze({ baseMs: 30_000, capMs: 60 * 60_000 });
/** After three days the resident's phone has most likely synced; an SMS that late helps nobody. */
export const GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60_000;
const BATCH = 20;

export type Attempt = { outcome: 'sent' } | { outcome: 'retry' | 'refused'; error: string };

/** What the gateway's HTTP status means: 2xx taken; busy or broken, try again; anything else, never. */
export function judgeGatewayAnswer(status: number): Attempt {
  if (status >= 200 && status < 300) return { outcome: 'sent' };
  const error = `http_${status}`;
  return status >= 500 || status === 408 || status === 429 ? { outcome: 'retry', error } : { outcome: 'refused', error };
}

export class StatusSmsSender {
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly outbox: SmsOutbox,
    private readonly options: StatusSmsSenderOptions,
  ) {
    checkOutboundUrl(options.gateway.url);
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.pollMs = options.pollMs ?? 60_000;
  }

  /** Sends what is due now, then keeps going on its own until `stop`. */
  start(): void {
    this.wake();
  }

  /** Something may be due (a status change just committed): look now. */
  wake(): void {
    if (this.stopping.signal.aborted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once no pass is running (tests wait on it after a wake). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Aborts a call in flight (that message is tried again later, here or after a restart). */
  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.idle();
  }

  private async loop(): Promise<void> {
    try {
      // A wake-up that arrives while a pass or the scheduling runs means one more pass.
      do {
        this.again = false;
        await this.pass();
        if (!this.again) await this.schedule();
      } while (this.again && !this.stopping.signal.aborted);
    } catch (err) {
      // The database went away for a moment: nothing is lost, the rows wait for the next look.
      this.options.log.warn({ smsOutbound: 'error', error: err instanceof Error ? err.name : 'unknown' }, 'status sms: pass failed');
      this.arm(this.pollMs);
    }
  }

  private async pass(): Promise<void> {
    const due = await this.outbox.due(this.now().toISOString(), BATCH);
    for (const sms of due) {
      if (this.stopping.signal.aborted) return;
      const lease = new Date(this.now().getTime() + this.timeoutMs + 60_000).toISOString();
      if (await this.outbox.claim(sms, lease)) await this.deliver(sms);
    }
    // A full batch may have more behind it.
    if (due.length === BATCH) this.again = true;
  }

  private async deliver(sms: OutboundSms): Promise<void> {
    const attempt = await this.post(sms);
    const attempts = sms.attempts + 1;
    const at = this.now();
    const about = { smsOutbound: attempt.outcome, submission: sms.submissionId, status: sms.status, attempts };
    if (attempt.outcome === 'sent') {
      await this.outbox.markSent(sms, attempts, at.toISOString());
      this.options.log.info(about, 'status sms: sent to the gateway');
      return;
    }
    if (attempt.outcome === 'refused' || at.getTime() - Date.parse(sms.queuedAt) >= GIVE_UP_AFTER_MS) {
      await this.outbox.markFailed(sms, attempts, attempt.error);
      this.options.log.warn({ ...about, smsOutbound: 'failed', error: attempt.error }, 'status sms: given up');
      return;
    }
    const next = new Date(at.getTime() + nextDelayMs(attempts - 1, OUTBOUND_BACKOFF, this.random)).toISOString();
    await this.outbox.markRetry(sms, attempts, next, attempt.error);
    this.options.log.warn({ ...about, error: attempt.error }, 'status sms: gateway did not take it, will retry');
  }

  private async post(sms: OutboundSms): Promise<Attempt> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      const body = JSON.stringify({ to: sms.to, text: sms.text, ref: sms.submissionId, status: sms.status });
      const answer = await fetch(this.options.gateway.url, {
        method: 'POST',
        // Signed with the real clock: the gateway checks it against its own.
        headers: { 'content-type': 'application/json', ...signedGatewayHeaders(this.options.gateway.secret, body, new Date()) },
        body,
        signal: AbortSignal.any([this.stopping.signal, timeout]),
        redirect: 'error',
      });
      await answer.body?.cancel();
      return judgeGatewayAnswer(answer.status);
    } catch {
      if (this.stopping.signal.aborted) return { outcome: 'retry', error: 'stopped' };
      return { outcome: 'retry', error: timeout.aborted ? 'timeout' : 'network' };
    }
  }

  /** The next look: when the next message falls due, or the poll, whichever comes first. */
  private async schedule(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const next = await this.outbox.nextDueAt();
    const wait = next === undefined ? this.pollMs : Date.parse(next) - this.now().getTime();
    this.arm(Math.min(this.pollMs, Math.max(1_000, wait)));
  }

  private arm(ms: number): void {
    if (this.stopping.signal.aborted) return;
    clearTimeout(this.timer);
    // Unref'd: a pending SMS never keeps a process (a test, the CLI) alive.
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }
}
