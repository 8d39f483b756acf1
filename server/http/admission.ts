// Admission control for pushes. When a ferry docks, a thousand phones push at once; decoding,
// checking and storing all their batches together costs memory per batch (the inflated JSON, the
// parsed items, their hashes) while the one database writer serves them one by one anyway. So:
//   - a push first reads its compressed body (a few KB); a phone on 2G takes seconds to upload and
//     must not hold a processing or waiting place meanwhile. At most `maxReading` read at once, and
//     at most `maxReadingPerNetwork` from one client network (an IPv4 address, an IPv6 /64): so a
//     few hundred connections from one place that send headers and then hold their body back (a
//     slowloris) fill only their own share and leave every other phone's pushes alone. A body must
//     arrive by its deadline (a grace plus a floor rate for its declared length), or 408;
//   - then at most `maxActive` pushes are decoded and processed at a time, and at most
//     `maxWaiting` more, whose bodies are all in, wait their turn; the excess is answered 503 with
//     Retry-After (at the door before its body is read when the readers are full, or once read).
//     The device keeps every item and tries again after backing off.
// A request leaves (its place passes to the next in line) when its answer is sent or its
// connection closes, whichever comes first, exactly once.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { clientNetwork } from '../auth/rate-limit.ts';
import { tooLarge, ApiError } from './api-error.ts';
import { readAtMost } from './request-encoding.ts';

export interface AdmissionOptions {
  /** Pushes decoded and processed at once. */
  maxActive?: number;
  /** Pushes whose body is in, let wait for a processing slot. */
  maxWaiting?: number;
  /** Pushes reading their body at once. */
  maxReading?: number;
  /** Of those, from one client network (IPv4 address, IPv6 /64). */
  maxReadingPerNetwork?: number;
  /** A body's deadline: this grace plus its declared length at `minBodyBytesPerSecond`, at most `maxBodyMs`. */
  bodyGraceMs?: number;
  minBodyBytesPerSecond?: number;
  maxBodyMs?: number;
  /** Retry-After for the refused, in whole seconds; spread so they do not all come back at once. */
  retryAfterSeconds?: () => number;
}

/**
 * 128 readers per network: a carrier's NAT puts many phones behind one address, and a ferry's worth
 * uploading at once over 2G is still let in; beyond that they are told to come back shortly. The
 * body floor of 1 KB/s is a quarter of a poor GPRS link.
 */
export const DEFAULT_ADMISSION = Object.freeze({
  maxActive: 32,
  maxWaiting: 512,
  maxReading: 1024,
  maxReadingPerNetwork: 128,
  bodyGraceMs: 15_000,
  minBodyBytesPerSecond: 1024,
  maxBodyMs: 300_000,
});

/** Retry-After of 1–4 s, uniformly: refused phones come back spread over a few seconds. */
function spreadRetryAfter(): number {
  return 1 + Math.floor(Math.random() * 4);
}

function positiveInt(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a whole number ≥ 1, got ${raw}`);
  return n;
}

/** PUSH_MAX_ACTIVE, PUSH_MAX_WAITING, PUSH_MAX_READING(_PER_NETWORK) from the environment, defaults otherwise. */
export function admissionFromEnv(env: NodeJS.ProcessEnv = process.env): AdmissionOptions {
  return {
    maxActive: positiveInt(env.PUSH_MAX_ACTIVE, DEFAULT_ADMISSION.maxActive),
    maxWaiting: positiveInt(env.PUSH_MAX_WAITING, DEFAULT_ADMISSION.maxWaiting),
    maxReading: positiveInt(env.PUSH_MAX_READING, DEFAULT_ADMISSION.maxReading),
    maxReadingPerNetwork: positiveInt(env.PUSH_MAX_READING_PER_NETWORK, DEFAULT_ADMISSION.maxReadingPerNetwork),
  };
}

interface Ticket {
  network: string;
  /** Set while the request reads its body (a reader's place). */
  reading: boolean;
  /** Set while its body is in and it waits in line. */
  waiting: boolean;
  /** Set once the request holds a processing slot. */
  active: boolean;
  done: boolean;
  /** Called when a slot is handed over; undefined while not waiting. */
  wake?: () => void;
}

export interface Admission {
  /** Requests let in and not yet finished (reading, waiting or processing). */
  readonly inside: number;
  readonly active: number;
  /** onRequest hook: lets the request in to read its body, or answers 503 before reading it. */
  door(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** preParsing hook: reads the (compressed) body by its deadline, then waits for a processing slot. */
  turn(request: FastifyRequest, reply: FastifyReply, payload: Readable): Promise<Readable>;
  /** onResponse hook: the request leaves (also done when its connection closes). */
  done(request: FastifyRequest): Promise<void>;
}

export function createAdmission(options: AdmissionOptions = {}, maxBodyBytes: number): Admission {
  const o = {
    maxActive: options.maxActive ?? DEFAULT_ADMISSION.maxActive,
    maxWaiting: options.maxWaiting ?? DEFAULT_ADMISSION.maxWaiting,
    maxReading: options.maxReading ?? DEFAULT_ADMISSION.maxReading,
    maxReadingPerNetwork: options.maxReadingPerNetwork ?? DEFAULT_ADMISSION.maxReadingPerNetwork,
    bodyGraceMs: options.bodyGraceMs ?? DEFAULT_ADMISSION.bodyGraceMs,
    minBodyBytesPerSecond: options.minBodyBytesPerSecond ?? DEFAULT_ADMISSION.minBodyBytesPerSecond,
    maxBodyMs: options.maxBodyMs ?? DEFAULT_ADMISSION.maxBodyMs,
  };
  const retryAfter = options.retryAfterSeconds ?? spreadRetryAfter;
  const tickets = new WeakMap<FastifyRequest, Ticket>();
  const line: Ticket[] = [];
  const readingBy = new Map<string, number>();
  let reading = 0;
  let waiting = 0;
  let active = 0;

  function stopReading(ticket: Ticket): void {
    if (!ticket.reading) return;
    ticket.reading = false;
    reading--;
    const left = (readingBy.get(ticket.network) ?? 1) - 1;
    if (left > 0) readingBy.set(ticket.network, left);
    else readingBy.delete(ticket.network);
  }

  function handOver(): void {
    while (active < o.maxActive && line.length > 0) {
      const next = line.shift()!;
      if (next.done) continue;
      next.waiting = false;
      waiting--;
      active++;
      next.active = true;
      const wake = next.wake;
      next.wake = undefined;
      wake?.();
    }
  }

  function leave(ticket: Ticket): void {
    if (ticket.done) return;
    ticket.done = true;
    stopReading(ticket);
    if (ticket.waiting) {
      // Skipped when its turn comes.
      ticket.waiting = false;
      waiting--;
    }
    if (ticket.active) {
      active--;
      ticket.active = false;
    }
    handOver();
  }

  /** The 503 a full house answers: sent here, so it is not logged as a failure of the server. */
  function busy(reply: FastifyReply): FastifyReply {
    return reply
      .code(503)
      .header('retry-after', String(retryAfter()))
      .send({ error: 'busy', message: 'Server busy; try again after Retry-After seconds' });
  }

  /** Reads the body, or fails with 408 once its deadline passes (the connection is then closed). */
  function readByDeadline(request: FastifyRequest, reply: FastifyReply, payload: Readable): Promise<Buffer> {
    const declared = Number(request.headers['content-length']);
    const length = Number.isFinite(declared) && declared > 0 ? declared : maxBodyBytes;
    const deadlineMs = Math.min(o.maxBodyMs, o.bodyGraceMs + (length / o.minBodyBytesPerSecond) * 1000);
    const read = readAtMost(payload, maxBodyBytes);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void reply.header('connection', 'close');
        reject(new ApiError(408, 'body_timeout', 'The request body did not arrive in time'));
      }, deadlineMs);
    });
    // The read may still settle after the deadline won; nobody waits for it then.
    read.catch(() => {});
    return Promise.race([read, late]).finally(() => clearTimeout(timer));
  }

  return {
    get inside() {
      return reading + waiting + active;
    },
    get active() {
      return active;
    },

    async door(request, reply) {
      const network = clientNetwork(request.ip);
      if (reading >= o.maxReading || (readingBy.get(network) ?? 0) >= o.maxReadingPerNetwork) {
        request.log.info({ reading }, 'push refused: server busy');
        // The unread body would otherwise keep this connection busy; the phone reconnects.
        await busy(reply.header('connection', 'close'));
        return;
      }
      const ticket: Ticket = { network, reading: true, waiting: false, active: false, done: false };
      tickets.set(request, ticket);
      reading++;
      readingBy.set(network, (readingBy.get(network) ?? 0) + 1);
      // 'close' comes once the answer is sent, or when the connection drops before that.
      reply.raw.once('close', () => leave(ticket));
    },

    async done(request) {
      const ticket = tickets.get(request);
      if (ticket) leave(ticket);
    },

    async turn(request, reply, payload) {
      const ticket = tickets.get(request);
      if (!ticket) return payload;
      let body: Buffer;
      try {
        if (Number(request.headers['content-length']) > maxBodyBytes) throw tooLarge();
        body = await readByDeadline(request, reply, payload);
      } finally {
        stopReading(ticket);
      }
      if (ticket.done) throw new ApiError(400, 'incomplete_body', 'Request was closed');
      if (active < o.maxActive && line.length === 0) {
        active++;
        ticket.active = true;
      } else if (waiting >= o.maxWaiting) {
        request.log.info({ waiting }, 'push refused: server busy');
        // Once the reply is sent, Fastify runs no further hook and never parses the body.
        await busy(reply);
        return payload;
      } else {
        await new Promise<void>((resolve) => {
          ticket.wake = resolve;
          ticket.waiting = true;
          waiting++;
          line.push(ticket);
          // The phone gave up while waiting: stop waiting, the slot goes to the next in line.
          reply.raw.once('close', () => {
            if (!ticket.active) resolve();
          });
        });
        if (!ticket.active) throw new ApiError(400, 'incomplete_body', 'Request was closed');
      }
      const replay = Readable.from([body], { objectMode: false }) as Readable & { receivedEncodedLength: number };
      // Fastify compares Content-Length with what came over the wire.
      replay.receivedEncodedLength = body.length;
      return replay;
    },
  };
}

/**
 * Puts admission on the push route: `door` after its own onRequest hooks (a request without
 * credentials is refused with 401 without taking a place), `turn` before its preParsing hooks
 * (the decoder then inflates from memory). Call on the context the route is registered in, or a
 * parent, before the route.
 */
export function admitPushes(app: FastifyInstance, url: string, options: AdmissionOptions, maxBodyBytes: number): Admission {
  const admission = createAdmission(options, maxBodyBytes);
  const asList = <T>(hooks: T | T[] | undefined): T[] => (hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = asList(route.method);
    if (route.url !== url || !methods.includes('POST')) return;
    route.onRequest = [...asList(route.onRequest), admission.door] as RouteOptions['onRequest'];
    route.preParsing = [admission.turn, ...asList(route.preParsing)] as RouteOptions['preParsing'];
    route.onResponse = [...asList(route.onResponse), admission.done] as RouteOptions['onResponse'];
  });
  return admission;
}
