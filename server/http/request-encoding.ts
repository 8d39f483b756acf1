// Devices gzip push bodies (CompressionStream) to save airtime. The body is read up to the limit
// while compressed, then inflated with a hard cap on the output, so a small "gzip bomb" costs at
// most MAX_PUSH_BYTES of memory and is refused with 413.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { ApiError, tooLarge } from './api-error.ts';

const gunzipAsync = promisify(gunzip);

/** What Fastify reads to check Content-Length against the bytes that came over the wire. */
type DecodedBody = Readable & { receivedEncodedLength: number };

export function requestEncoding(request: FastifyRequest): string {
  const header = request.headers['content-encoding'];
  return (header ?? 'identity').trim().toLowerCase() || 'identity';
}

/** A preParsing hook: passes identity bodies through, inflates gzip, refuses other encodings. */
export function decodeRequestBody(maxBytes: number) {
  return async (request: FastifyRequest, _reply: unknown, payload: Readable): Promise<Readable> => {
    const encoding = requestEncoding(request);
    if (encoding === 'identity') return payload;
    if (encoding !== 'gzip') {
      throw new ApiError(415, 'unsupported_encoding', 'Content-Encoding must be gzip or identity');
    }
    if (Number(request.headers['content-length']) > maxBytes) throw tooLarge();
    const compressed = await readAtMost(payload, maxBytes);
    let body: Buffer;
    try {
      body = await gunzipAsync(compressed, { maxOutputLength: maxBytes });
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw new ApiError(400, 'bad_encoding', 'Request body is not valid gzip');
    }
    const decoded = Readable.from([body], { objectMode: false }) as DecodedBody;
    decoded.receivedEncodedLength = compressed.length;
    return decoded;
  };
}

/**
 * Collects a stream up to `max` bytes. Past the limit it stops keeping data but lets the rest
 * drain, so the connection stays usable for the 413 answer (destroying it would lose that).
 * Also admission's read of the compressed body (http/admission.ts).
 */
export function readAtMost(stream: Readable, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > max) {
        cleanup();
        stream.on('error', () => {});
        stream.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = () => {
      cleanup();
      reject(new ApiError(400, 'incomplete_body', 'Request body was cut off'));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
