// The baseline's receiving end for the attachment benchmark: what a form handler without resume
// does. POST /bench/whole-file takes one whole file in one request and keeps it only if every byte
// arrived (length and sha256 match); a body cut off is thrown away, so the sender starts again from
// zero. Every other request is passed to the real server unchanged, so the baseline's data push
// crosses the same weak link as its photos.
import { createHash } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WHOLE_FILE_PATH = '/bench/whole-file';

export interface WholeFileFront {
  port: number;
  /** sha256 → size of the files received whole. */
  received: Map<string, number>;
  /** Uploads that started and were cut off. */
  cutOff(): number;
  close(): Promise<void>;
}

function forward(target: { host: string; port: number }, method: string, path: string, headers: IncomingHttpHeaders) {
  return request({ host: target.host, port: target.port, method, path, headers });
}

export async function startWholeFileFront(target: { host: string; port: number }): Promise<WholeFileFront> {
  const received = new Map<string, number>();
  let cutOff = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === WHOLE_FILE_PATH) {
      const hash = createHash('sha256');
      let length = 0;
      let ended = false;
      req.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        length += chunk.length;
      });
      req.on('end', () => {
        ended = true;
        const declared = Number(req.headers['content-length']);
        const sha = hash.digest('hex');
        if (length !== declared || sha !== req.headers['x-sha256']) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"incomplete"}');
          return;
        }
        received.set(sha, length);
        res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      req.on('close', () => {
        if (!ended) cutOff++;
      });
      req.on('error', () => undefined);
      return;
    }
    const upstream = forward(target, req.method ?? 'GET', req.url ?? '/', req.headers);
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    cutOff: () => cutOff,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
