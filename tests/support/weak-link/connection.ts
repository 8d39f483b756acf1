// One client connection through the weak link: the client socket, its upstream socket, one pipe
// per direction, and the per-request fault state. The proxy owns the link; this owns sockets.

import net from 'node:net';
import type { Fault } from './faults.ts';
import { HttpRequestFramer, type RequestHead } from './http-framer.ts';
import { Pipe, type PipeEnv } from './pipe.ts';

/** Queued-but-undelivered bytes above which the sending socket is paused (like a TCP window). */
const HIGH_WATER_BYTES = 64 * 1024;
const LOW_WATER_BYTES = 16 * 1024;

export interface ConnectionContext {
  readonly target: { readonly host: string; readonly port: number };
  readonly upEnv: PipeEnv;
  readonly downEnv: PipeEnv;
  linkUp(): boolean;
  /** A request line was seen: count it and say which fault (if any) it gets. */
  onRequest(head: RequestHead): Fault | undefined;
  onBytes(direction: 'up' | 'down', bytes: number): void;
  /** The proxy itself reset this connection (fault or outage). */
  onReset(): void;
  onClosed(connection: Connection): void;
}

interface OpenRequest {
  readonly head: RequestHead;
  readonly fault: Fault | undefined;
  readonly held: Buffer[];
  heldBytes: number;
}

type ResponseArm = { kind: 'reset' } | { kind: 'stall'; readonly ms: number; remaining: number };

const REASONS: Readonly<Record<number, string>> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function errorResponse(status: number, head: RequestHead): Buffer {
  const body = `${status} injected by the weak-link proxy\n`;
  const lines = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Server Error'}`,
    'content-type: text/plain; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    'x-weak-link-fault: 5xx',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${head.method === 'HEAD' ? '' : body}`);
}

function send(socket: net.Socket | undefined, bytes: Buffer): void {
  if (socket !== undefined && !socket.destroyed && socket.writable) socket.write(bytes);
}

function endSocket(socket: net.Socket | undefined): void {
  if (socket !== undefined && !socket.destroyed && socket.writable) socket.end();
}

export class Connection {
  private upstream: net.Socket | undefined;
  private readonly up: Pipe;
  private readonly down: Pipe;
  private readonly framer = new HttpRequestFramer();
  private request: OpenRequest | undefined;
  private responseArm: ResponseArm | undefined;
  /** Set once a fault has taken over a direction: later bytes from that side are ignored. */
  private dropUp = false;
  private dropDown = false;
  private connectTimer: NodeJS.Timeout | undefined;
  private waitingForLink = false;
  private clientClosed = false;
  private upstreamClosed = false;
  private finished = false;

  constructor(
    private readonly client: net.Socket,
    private readonly ctx: ConnectionContext,
  ) {
    this.up = new Pipe(ctx.upEnv, (bytes, dropped) => this.arriveUp(bytes, dropped), () => this.resumeClient(), LOW_WATER_BYTES);
    this.down = new Pipe(ctx.downEnv, (bytes, dropped) => this.arriveDown(bytes, dropped), () => this.upstream?.resume(), LOW_WATER_BYTES);
    // Until the emulated handshake completes, the client's bytes cannot leave the phone.
    this.up.gate(Infinity);
    client.setNoDelay(true);
    client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    client.on('end', () => this.up.then(() => endSocket(this.upstream)));
    client.on('error', () => this.teardown({ counted: false, resetClient: false }));
    client.on('close', () => {
      this.clientClosed = true;
      this.down.dispose();
      // Whatever the client still had in flight reaches the server; after that nobody listens.
      this.up.then(() => this.upstream?.destroy());
      this.maybeFinished();
    });
    this.scheduleConnect();
  }

  /** The link came back (hang mode): finish a deferred connect and move queued bytes. */
  kick(): void {
    if (this.finished) return;
    if (this.waitingForLink) {
      this.waitingForLink = false;
      this.scheduleConnect();
    }
    this.up.kick();
    this.down.kick();
  }

  /** A reset the proxy injects: the client sees ECONNRESET, the server a reset too. */
  reset(): void {
    this.teardown({ counted: true, resetClient: true });
  }

  /** Ends both sockets without counting it as an injected reset (proxy shutdown). */
  destroy(): void {
    this.teardown({ counted: false, resetClient: false });
  }

  private scheduleConnect(): void {
    // The SYN takes one one-way delay to reach the server.
    const delay = this.ctx.upEnv.oneWayMs();
    const attempt = (): void => {
      this.connectTimer = undefined;
      if (this.finished) return;
      if (this.ctx.linkUp()) this.connect();
      else this.waitingForLink = true;
    };
    if (delay <= 0) attempt();
    else this.connectTimer = setTimeout(attempt, Math.ceil(delay));
  }

  private connect(): void {
    const upstream = net.connect({ host: this.ctx.target.host, port: this.ctx.target.port, allowHalfOpen: true });
    this.upstream = upstream;
    upstream.setNoDelay(true);
    upstream.on('data', (chunk: Buffer) => this.onUpstreamData(chunk));
    upstream.on('end', () => this.down.then(() => endSocket(this.client)));
    upstream.on('error', () => {
      // A refused or reset upstream reaches the client as a reset, after what was in flight.
      this.dropDown = true;
      this.down.then(() => this.teardown({ counted: false, resetClient: true }));
    });
    upstream.on('close', () => {
      this.upstreamClosed = true;
      this.up.dispose();
      this.maybeFinished();
    });
    // The SYN-ACK needs another one-way delay to get back before the client's data can leave.
    const env = this.ctx.upEnv;
    this.up.gate(env.now() + env.oneWayMs());
  }

  private onClientData(chunk: Buffer): void {
    if (this.finished || this.dropUp) return;
    for (const event of this.framer.push(chunk)) {
      if (this.finished || this.dropUp) return;
      if (event.type === 'request-start') this.startRequest(event.head);
      else if (event.type === 'request-end') this.endRequest();
      else this.requestBytes(event.bytes);
    }
    if (this.up.pendingBytes > HIGH_WATER_BYTES) this.client.pause();
  }

  private resumeClient(): void {
    if (this.client.isPaused() && !this.client.destroyed) this.client.resume();
  }

  private startRequest(head: RequestHead): void {
    const fault = this.ctx.onRequest(head);
    this.request = { head, fault, held: [], heldBytes: 0 };
    // Without pipelining (no browser or Node client pipelines), the next bytes from the server
    // after a request starts are that request's response.
    if (fault?.kind === 'reset-after-commit') this.responseArm = { kind: 'reset' };
    else if (fault?.kind === 'stall') this.responseArm = { kind: 'stall', ms: fault.ms, remaining: fault.afterBytes ?? 0 };
  }

  private requestBytes(bytes: Buffer): void {
    const request = this.request;
    const fault = request?.fault;
    if (request === undefined || fault === undefined) {
      this.up.write(bytes);
    } else if (fault.kind === '5xx') {
      // The request still crosses the link (it costs time and counts as bytes up); the far end
      // that answers is the proxy, not the server.
      this.up.write(bytes, true);
    } else if (fault.kind === 'reset-before-commit') {
      request.held.push(bytes);
      request.heldBytes += bytes.length;
      if (fault.forwardBytes !== undefined && request.heldBytes > fault.forwardBytes) {
        this.cutRequest(request, fault.forwardBytes);
      }
    } else {
      this.up.write(bytes);
    }
  }

  private endRequest(): void {
    const request = this.request;
    this.request = undefined;
    const fault = request?.fault;
    if (request === undefined || fault === undefined) return;
    if (fault.kind === '5xx') {
      this.dropUp = true;
      const status = fault.status ?? 503;
      this.up.then(() => this.answerError(status, request.head));
    } else if (fault.kind === 'reset-before-commit') {
      const { headBytes } = request.head;
      const bodyBytes = request.heldBytes - headBytes;
      const wanted = fault.forwardBytes ?? (bodyBytes > 0 ? headBytes + Math.floor(bodyBytes / 2) : Math.floor(headBytes / 2));
      this.cutRequest(request, Math.min(wanted, request.heldBytes - 1));
    }
  }

  /** Sends the first `bytes` of the held request, then resets both sides once they arrived. */
  private cutRequest(request: OpenRequest, bytes: number): void {
    this.dropUp = true;
    this.up.write(Buffer.concat(request.held).subarray(0, bytes));
    request.held.length = 0;
    this.up.then(() => this.reset());
  }

  private answerError(status: number, head: RequestHead): void {
    this.dropDown = true;
    this.down.write(errorResponse(status, head));
    this.down.then(() => endSocket(this.client));
    endSocket(this.upstream);
  }

  private onUpstreamData(chunk: Buffer): void {
    if (this.finished || this.dropDown) return;
    const arm = this.responseArm;
    if (arm?.kind === 'reset') {
      // The server has committed and started answering; the answer is lost on the way.
      this.responseArm = undefined;
      this.dropDown = true;
      this.dropUp = true;
      this.upstream?.destroy();
      this.down.then(() => this.reset());
      return;
    }
    if (arm?.kind === 'stall') {
      const head = Math.min(arm.remaining, chunk.length);
      if (head > 0) this.down.write(chunk.subarray(0, head));
      arm.remaining -= head;
      if (arm.remaining === 0) {
        this.responseArm = undefined;
        this.down.pause(arm.ms);
        this.down.write(chunk.subarray(head));
      }
    } else {
      this.down.write(chunk);
    }
    if (this.down.pendingBytes > HIGH_WATER_BYTES) this.upstream?.pause();
  }

  private arriveUp(bytes: Buffer, dropped: boolean): void {
    this.ctx.onBytes('up', bytes.length);
    if (!dropped) send(this.upstream, bytes);
  }

  private arriveDown(bytes: Buffer, dropped: boolean): void {
    this.ctx.onBytes('down', bytes.length);
    if (!dropped) send(this.client, bytes);
  }

  private teardown(how: { counted: boolean; resetClient: boolean }): void {
    if (this.finished) return;
    if (how.counted) this.ctx.onReset();
    this.finish();
    const { client, upstream } = this;
    if (!client.destroyed) {
      if (how.resetClient) client.resetAndDestroy();
      else client.destroy();
    }
    if (upstream !== undefined && !upstream.destroyed) {
      if (how.resetClient) upstream.resetAndDestroy();
      else upstream.destroy();
    }
  }

  private maybeFinished(): void {
    if (this.clientClosed && (this.upstream === undefined || this.upstreamClosed)) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.up.dispose();
    this.down.dispose();
    this.ctx.onClosed(this);
  }
}
