// A tiny HTTP server and client for the proxy's tests: the server records what it really
// received, the client reports what it really got (or the socket error code).

import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  /** The whole body arrived. */
  complete: boolean;
  bodyBytes: number;
  /** The server finished writing its answer. */
  answered: boolean;
}

export interface TargetServer {
  readonly port: number;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * Routes: `GET /bytes/<n>` answers n bytes; `GET /slow/<ms>` answers after ms; anything with a
 * body answers `{"received": <bytes>}` once the body has arrived; everything else answers "ok".
 */
export async function startTargetServer(): Promise<TargetServer> {
  const seen: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const entry: SeenRequest = { method: req.method ?? '', url: req.url ?? '', complete: false, bodyBytes: 0, answered: false };
    seen.push(entry);
    res.on('finish', () => {
      entry.answered = true;
    });
    req.on('data', (chunk: Buffer) => {
      entry.bodyBytes += chunk.length;
    });
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('end', () => {
      entry.complete = true;
      const bytes = /^\/bytes\/(\d+)$/.exec(entry.url);
      const slow = /^\/slow\/(\d+)$/.exec(entry.url);
      if (bytes !== null) {
        res.end(Buffer.alloc(Number(bytes[1]), 0x78));
      } else if (slow !== null) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          res.end('slow ok');
        }, Number(slow[1]));
        timers.add(timer);
      } else if (entry.bodyBytes > 0) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ received: entry.bodyBytes }));
      } else {
        res.end('ok');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly ms: number;
}

export interface SendOptions {
  readonly method?: string;
  readonly body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked, in pieces of this size. */
  readonly chunkedPieces?: number;
  /** Default: a fresh connection per request (agent false). */
  readonly agent?: http.Agent | false;
  readonly timeoutMs?: number;
}

/** Resolves with the reply, or rejects with the socket error (its `code` tells which). */
export function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const started = performance.now();
  const { body, chunkedPieces } = options;
  return new Promise<Reply>((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (body !== undefined && chunkedPieces === undefined) headers['content-length'] = String(body.length);
    const req = http.request(`${baseUrl}${path}`, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      agent: options.agent ?? false,
      headers,
    });
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    }
    req.on('error', reject);
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), ms: performance.now() - started }),
      );
    });
    if (body !== undefined && chunkedPieces !== undefined) {
      for (let i = 0; i < body.length; i += chunkedPieces) req.write(body.subarray(i, i + chunkedPieces));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** The error code a failed request ended with ('' if it succeeded). */
export async function failureCode(reply: Promise<Reply>): Promise<string> {
  try {
    await reply;
    return '';
  } catch (error) {
    return String((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
