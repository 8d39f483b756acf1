// A tap between the weak link and the server: what actually reached the province. It buffers
// each request (so a request cut off on the link never reaches the server half-way, as with a
// real reset), reads the item ids out of every push and the outcomes out of its answer, and keeps
// when each push started and ended, so tests can tell one drainer from several.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface PushSeen {
  ids: string[];
  /** When its head reached the tap. */
  startedAt: number;
  /** When its answer was fully passed back; absent while in flight or when cut. */
  endedAt?: number;
  /** The server answered (a 200 means it committed the batch). */
  answered: boolean;
  status?: number;
  outcomes: Record<string, number>;
  accepted: string[];
}

export interface PushTap {
  port: number;
  pushes: PushSeen[];
  /** Resolves when the head of the next push arrives (its body is still on the link). */
  nextPushHead(): Promise<void>;
  /**
   * Resolves when the server starts answering (i.e. has committed) the n-th push from now that
   * carried at least one item it had not committed before.
   */
  freshAnswer(n: number): Promise<void>;
  close(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-length'];

function forwardHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  for (const name of HOP_BY_HOP) delete out[name];
  return out;
}

function decode(body: Buffer, encoding: string | undefined): string {
  return (encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8');
}

export async function startPushTap(targetPort: number): Promise<PushTap> {
  const pushes: PushSeen[] = [];
  let headWaiters: (() => void)[] = [];
  let freshWaiters: { at: number; resolve: () => void }[] = [];
  let freshAnswers = 0;
  const committed = new Set<string>();
  const server: Server = createServer((req, res) => {
    const isPush = req.method === 'POST' && (req.url ?? '').startsWith('/api/v1/push');
    const seen: PushSeen = { ids: [], startedAt: Date.now(), answered: false, outcomes: {}, accepted: [] };
    if (isPush) {
      pushes.push(seen);
      for (const w of headWaiters) w();
      headWaiters = [];
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (isPush) seen.ids = (JSON.parse(decode(body, req.headers['content-encoding'])) as { items: { id: string }[] }).items.map((i) => i.id);
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: targetPort,
          method: req.method,
          path: req.url,
          headers: { ...forwardHeaders(req.headers), 'content-length': String(body.length) },
        },
        (answer) => {
          if (isPush) {
            seen.answered = true;
            seen.status = answer.statusCode;
            const fresh = seen.ids.some((id) => !committed.has(id));
            if (answer.statusCode === 200) for (const id of seen.ids) committed.add(id);
            if (fresh) {
              freshAnswers += 1;
              for (const w of freshWaiters) if (w.at === freshAnswers) w.resolve();
              freshWaiters = freshWaiters.filter((w) => w.at > freshAnswers);
            }
          }
          // The answer is read whole before it goes on, so what the server answered is known
          // even when the phone hangs up while it travels back.
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const payload = Buffer.concat(parts);
            if (isPush) {
              try {
                const parsed = JSON.parse(decode(payload, answer.headers['content-encoding'] as string | undefined)) as {
                  results?: { id: string; outcome: string }[];
                };
                for (const r of parsed.results ?? []) {
                  seen.outcomes[r.outcome] = (seen.outcomes[r.outcome] ?? 0) + 1;
                  if (r.outcome === 'accepted') seen.accepted.push(r.id);
                }
              } catch {
                // an error answer without results
              }
              res.on('finish', () => {
                seen.endedAt = Date.now();
              });
            }
            if (res.destroyed) return;
            const headers = forwardHeaders(answer.headers);
            if (req.method !== 'HEAD') headers['content-length'] = String(payload.length);
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(payload);
          });
          answer.on('error', () => res.destroy());
        },
      );
      // The server is gone (or the phone hung up mid-answer): drop the phone's side too.
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    pushes,
    nextPushHead: () => new Promise<void>((resolve) => headWaiters.push(resolve)),
    freshAnswer: (n) => new Promise<void>((resolve) => freshWaiters.push({ at: freshAnswers + n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` every 100 ms until it holds, or fails naming what it waited for. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
