// Admission control for pushes. When a ferry docks, a thousand phones push at once; decoding,
// checking and storing all their batches together costs memory per batch (the inflated JSON, the
// parsed items, their hashes) while the one database writer serves them one by one anyway. So:
//   - at most `maxActive` pushes are decoded and processed at a time; the others wait their turn
//     holding only their compressed body (a few KB), which is read first: a phone on 2G takes
//     seconds to upload and must not hold a processing slot meanwhile;
//   - at most `maxWaiting` more are let in; the excess is answered 503 with Retry-After before
//     its body is read. The device keeps every item and tries again after backing off.
// A request leaves (its slot passes to the next in line) when its answer is sent or its
// connection closes, whichever comes first, exactly once.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { tooLarge, ApiError } from './api-error.ts';
import { readAtMost } from './request-encoding.ts';

export interface AdmissionOptions {
  /** Pushes decoded and processed at once. */
  maxActive?: number;
  /** Pushes let in beyond those: reading their body or waiting for a slot. */
  maxWaiting?: number;
  /** Retry-After for the refused, in whole seconds; spread so they do not all come back at once. */
  retryAfterSeconds?: () => number;
}

export const DEFAULT_ADMISSION = Object.freeze({ maxActive: 32, maxWaiting: 512 });

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

/** PUSH_MAX_ACTIVE and PUSH_MAX_WAITING from the environment, defaults otherwise. */
export function admissionFromEnv(env: NodeJS.ProcessEnv = process.env): AdmissionOptions {
  return {
    maxActive: positiveInt(env.PUSH_MAX_ACTIVE, DEFAULT_ADMISSION.maxActive),
    maxWaiting: positiveInt(env.PUSH_MAX_WAITING, DEFAULT_ADMISSION.maxWaiting),
  };
}

interface Ticket {
  /** Set once the request holds a processing slot. */
  active: boolean;
  done: boolean;
  /** Called when a slot is handed over; undefined while not waiting. */
  wake?: () => void;
}

export interface Admission {
  /** Requests let in and not yet finished. */
  readonly inside: number;
  readonly active: number;
  /** onRequest hook: lets the request in, or answers 503 before its body is read. */
  door(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** preParsing hook: reads the (compressed) body, then waits for a processing slot. */
  turn(request: FastifyRequest, reply: FastifyReply, payload: Readable): Promise<Readable>;
  /** onResponse hook: the request leaves (also done when its connection closes). */
  done(request: FastifyRequest): Promise<void>;
}

export function createAdmission(options: AdmissionOptions = {}, maxBodyBytes: number): Admission {
  const maxActive = options.maxActive ?? DEFAULT_ADMISSION.maxActive;
  const maxWaiting = options.maxWaiting ?? DEFAULT_ADMISSION.maxWaiting;
  const retryAfter = options.retryAfterSeconds ?? spreadRetryAfter;
  const tickets = new WeakMap<FastifyRequest, Ticket>();
  const line: Ticket[] = [];
  let inside = 0;
  let active = 0;

  function handOver(): void {
    while (active < maxActive && line.length > 0) {
      const next = line.shift()!;
      if (next.done) continue;
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
    inside--;
    if (ticket.active) {
      active--;
      ticket.active = false;
    }
    // A waiter that left (its phone hung up) is skipped when its turn comes.
    handOver();
  }

  return {
    get inside() {
      return inside;
    },
    get active() {
      return active;
    },

    async door(request, reply) {
      if (inside >= maxActive + maxWaiting) {
        request.log.info({ inside }, 'push refused: server busy');
        await reply
          .code(503)
          .header('retry-after', String(retryAfter()))
          // The unread body would otherwise keep this connection busy; the phone reconnects.
          .header('connection', 'close')
          .send({ error: 'busy', message: 'Server busy; try again after Retry-After seconds' });
        return;
      }
      const ticket: Ticket = { active: false, done: false };
      tickets.set(request, ticket);
      inside++;
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
      if (Number(request.headers['content-length']) > maxBodyBytes) throw tooLarge();
      const body = await readAtMost(payload, maxBodyBytes);
      if (ticket.done) throw new ApiError(400, 'incomplete_body', 'Request was closed');
      if (active < maxActive && line.length === 0) {
        active++;
        ticket.active = true;
      } else {
        await new Promise<void>((resolve) => {
          ticket.wake = resolve;
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
