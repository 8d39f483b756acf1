// DEFLATE through CompressionStream, which the page, the service worker and Node 20 all have.
// Raw DEFLATE (no zlib header and checksum: the seal already checks the bytes) where the browser
// knows 'deflate-raw' (Chromium 103+); 'deflate' (zlib, 6 bytes more) on older phones, which
// have had it since Chromium 80. The first byte says which, so the server opens both.
const RAW = 0;
const ZLIB = 1;

function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

function supportsRaw(): boolean {
  try {
    new CompressionStream('deflate-raw');
    return true;
  } catch {
    return false;
  }
}

async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error('inflated data is too large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Compressed bytes led by the method byte. `raw: false` forces the older phones' method. */
export async function compress(bytes: Uint8Array, options: { raw?: boolean } = {}): Promise<Uint8Array> {
  const method = (options.raw ?? supportsRaw()) ? RAW : ZLIB;
  const stream = new Blob([own(bytes)]).stream().pipeThrough(new CompressionStream(method === RAW ? 'deflate-raw' : 'deflate'));
  const body = await readAll(stream, Number.MAX_SAFE_INTEGER);
  const out = new Uint8Array(1 + body.length);
  out[0] = method;
  out.set(body, 1);
  return out;
}

/** Decompresses, refusing output past `maxBytes` (a tiny message must not expand into a huge one). */
export async function decompress(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const method = bytes[0];
  if (method !== RAW && method !== ZLIB) throw new Error('unknown compression');
  const stream = new Blob([own(bytes.subarray(1))])
    .stream()
    .pipeThrough(new DecompressionStream(method === RAW ? 'deflate-raw' : 'deflate'));
  return readAll(stream, maxBytes);
}
