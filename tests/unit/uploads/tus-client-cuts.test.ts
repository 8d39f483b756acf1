// The tus client's decisions over any cut points (issue 15): whatever the link cuts, and whether
// the way to the server keeps the part of a cut body or throws it away, every byte of the file is
// written on the server exactly once, at its place, and the stored file's sha256 is the file's.
// A creation that may find part of the file there never carries a body; on a link that keeps cut
// bodies a file goes in one request per try; on one that loses them the client falls back to
// link-sized pieces. The server here is an in-memory tus server behind a fetch function; time is
// the link's (each body byte advances the clock at its rate).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uploadFile, type CutBody, type UploadResult } from '../../../src/lib/tus-client.ts';
import { chunkBytesFor, cutLostBytes, MIN_CHUNK_BYTES, pieceBytes, surelySent } from '../../../src/lib/upload-chunks.ts';

const BASE = 'http://kpu.test/api/v1/uploads';
const RATE = 25_000; // bytes per second: pulau-edge

interface Stored {
  length: number;
  bytes: Uint8Array;
  offset: number;
  /** How many times each byte was written. */
  writes: Uint8Array;
}

interface Request {
  method: string;
  body: number;
  /** The server held part of this file when the request left. */
  existed: boolean;
}

/**
 * A tus server in memory. `cuts` are positions in the stream of body bytes the phone hands to the
 * link, in order; a body crossing the next one is cut there (its bytes before the cut reach the
 * server when `keeps`, none otherwise) and the link is down until the next call.
 */
class MemoryTus {
  readonly files = new Map<string, Stored>();
  readonly requests: Request[] = [];
  private streamed = 0;
  down = false;
  constructor(
    private readonly cuts: number[],
    private readonly keeps: boolean,
  ) {}

  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (this.down) throw new TypeError('offline');
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    const body = init?.body instanceof Blob ? new Uint8Array(await init.body.arrayBuffer()) : undefined;
    const id = method === 'POST' ? this.idOf(headers) : (url.pathname.split('/').pop() ?? '');
    this.requests.push({ method, body: body?.length ?? 0, existed: this.files.has(id) });
    // What of the body crosses before a cut.
    let delivered = body;
    let cut = false;
    if (body && body.length > 0) {
      const next = this.cuts[0];
      if (next !== undefined && this.streamed + body.length > next) {
        this.cuts.shift();
        const k = Math.max(0, next - this.streamed);
        delivered = this.keeps ? body.subarray(0, k) : new Uint8Array(0);
        cut = true;
        this.streamed += k;
        vi.setSystemTime(Date.now() + (k / RATE) * 1000);
      } else {
        this.streamed += body.length;
        vi.setSystemTime(Date.now() + (body.length / RATE) * 1000);
      }
    }
    const answer = this.handle(method, id, headers, delivered, cut);
    if (cut) {
      this.down = true;
      throw new TypeError('connection reset');
    }
    return answer;
  }) as typeof fetch;

  private idOf(headers: Headers): string {
    const meta = headers.get('upload-metadata') ?? '';
    const pair = meta.split(',').find((p) => p.startsWith('sha256 '));
    return Buffer.from(pair?.split(' ')[1] ?? '', 'base64').toString();
  }

  private write(file: Stored, at: number, bytes: Uint8Array): void {
    file.bytes.set(bytes, at);
    for (let i = at; i < at + bytes.length; i++) file.writes[i] = (file.writes[i] ?? 0) + 1;
    file.offset = at + bytes.length;
  }

  private handle(method: string, id: string, headers: Headers, body: Uint8Array | undefined, cut: boolean): Response {
    const tus = { 'tus-resumable': '1.0.0' };
    const file = this.files.get(id);
    if (method === 'POST') {
      if (file) return new Response(null, { status: 200, headers: { ...tus, location: `/api/v1/uploads/${id}`, 'upload-offset': String(file.offset) } });
      const length = Number(headers.get('upload-length'));
      const created: Stored = { length, bytes: new Uint8Array(length), offset: 0, writes: new Uint8Array(length) };
      this.files.set(id, created);
      if (body && headers.get('content-type') === 'application/offset+octet-stream') this.write(created, 0, body);
      if (cut) return new Response(null, { status: 400 });
      return new Response(null, { status: 201, headers: { ...tus, location: `/api/v1/uploads/${id}`, 'upload-offset': String(created.offset) } });
    }
    if (!file) return new Response(null, { status: 404 });
    if (method === 'HEAD') return new Response(null, { status: 200, headers: { ...tus, 'upload-offset': String(file.offset), 'upload-length': String(file.length) } });
    if (method === 'PATCH') {
      if (Number(headers.get('upload-offset')) !== file.offset) return new Response(null, { status: 409 });
      if (body) this.write(file, file.offset, body);
      return new Response(null, { status: 204, headers: { ...tus, 'upload-offset': String(file.offset) } });
    }
    return new Response(null, { status: 405 });
  }
}

function fileOf(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Calls the client as the upload phase does, carrying what a call left to the next, until done. */
async function sendUntilDone(server: MemoryTus, file: Uint8Array<ArrayBuffer>, maxCalls = 60): Promise<{ results: UploadResult[]; sent: number }> {
  const sha256 = hex(file);
  let uploadUrl: string | undefined;
  let lastCut: CutBody | undefined;
  let lossy = false;
  let startedBefore = false;
  let sent = 0;
  const results: UploadResult[] = [];
  for (let call = 0; call < maxCalls; call++) {
    server.down = false;
    const r = await uploadFile({
      baseUrl: BASE,
      getAuth: () => 'Device test',
      blob: new Blob([file]),
      sha256,
      type: 'image/jpeg',
      fetch: server.fetch,
      throughputHint: RATE,
      ...(uploadUrl ? { uploadUrl } : {}),
      ...(lastCut ? { lastCut } : {}),
      ...(lossy ? { lossy } : {}),
      ...(startedBefore ? { startedBefore } : {}),
      onCreating: () => (startedBefore = true),
      onUploadUrl: (u) => (uploadUrl = u),
    });
    results.push(r);
    sent += r.bytesSent;
    if (r.kind !== 'offline') break;
    if (r.uploadUrl) uploadUrl = r.uploadUrl;
    lastCut = r.cut;
    if (r.lossy) lossy = true;
  }
  return { results, sent };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-12-07T10:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

describe('tus client over any cut points', () => {
  const scenario = fc.record({
    size: fc.integer({ min: 1, max: 120_000 }),
    // Cut positions as fractions of the bytes the phone streams (up to twice the file: resends).
    cuts: fc.uniqueArray(fc.double({ min: 0, max: 2, noNaN: true }), { maxLength: 6 }),
    keeps: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  });

  it('every byte arrives exactly once and the stored file is the file', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ size, cuts, keeps, seed }) => {
        const file = fileOf(size, seed);
        const points = [...new Set(cuts.map((c) => Math.floor(c * size)))].sort((a, b) => a - b);
        const server = new MemoryTus(points, keeps);
        const { results } = await sendUntilDone(server, file);
        expect(results.at(-1)?.kind).toBe('done');
        const stored = server.files.get(hex(file));
        expect(stored?.offset).toBe(size);
        expect(hex(stored?.bytes ?? new Uint8Array())).toBe(hex(file));
        expect([...(stored?.writes ?? [])].every((w) => w === 1)).toBe(true);
        // A creation that could find part of the file on the server never carries a body.
        expect(server.requests.filter((r) => r.method === 'POST' && r.body > 0).every((r) => !r.existed)).toBe(true);
      }),
      { numRuns: 80 },
    );
  }, 120_000);

  it('on a link that keeps cut bodies: one request per try, and a cut costs at most the bytes in flight', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ size, cuts, seed }) => {
        const file = fileOf(size, seed);
        const points = [...new Set(cuts.map((c) => Math.floor(c * size)))].sort((a, b) => a - b);
        const server = new MemoryTus(points, true);
        const { results } = await sendUntilDone(server, file);
        expect(results.at(-1)?.kind).toBe('done');
        expect(results.some((r) => r.kind !== 'rejected' && r.lossy)).toBe(false);
        // Each try sends the rest of the file in one body (the creation's, or one PATCH).
        const bodies = server.requests.filter((r) => r.body > 0);
        expect(bodies.length).toBe(results.length);
        // Nothing crosses the link twice: the streamed bytes are the file plus nothing (kept cuts).
        expect(server.requests.reduce((n, r) => n + r.body, 0)).toBeLessThanOrEqual(size * results.length);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('no cut: a new file is one creation POST carrying all of it', async () => {
    const file = fileOf(204_800, 7);
    const server = new MemoryTus([], true);
    const { results } = await sendUntilDone(server, file);
    expect(results).toEqual([{ kind: 'done', uploadUrl: `${BASE}/${hex(file)}`, bytesSent: file.length }]);
    expect(server.requests).toEqual([{ method: 'POST', body: file.length, existed: false }]);
  });

  it('a creation cut mid-body: the next call asks without a body and sends only the rest', async () => {
    const file = fileOf(200_000, 11);
    const server = new MemoryTus([120_000], true);
    const { results } = await sendUntilDone(server, file);
    expect(results.map((r) => r.kind)).toEqual(['offline', 'done']);
    expect(server.requests.map((r) => [r.method, r.body])).toEqual([
      ['POST', 200_000],
      ['POST', 0],
      ['PATCH', 80_000],
    ]);
  });

  it('a link that throws cut bodies away is found out, and the file then goes in link-sized pieces', async () => {
    const file = fileOf(300_000, 13);
    const server = new MemoryTus([150_000], false);
    const { results } = await sendUntilDone(server, file);
    expect(results.at(-1)).toMatchObject({ kind: 'done', lossy: true });
    const after = server.requests.slice(2).filter((r) => r.body > 0);
    expect(after.length).toBeGreaterThan(1);
    expect(after.every((r) => r.body <= chunkBytesFor(RATE))).toBe(true);
  });
});

describe('piece decisions', () => {
  it('pieceBytes: all of the rest unless fixed or lossy', () => {
    expect(pieceBytes(500_000, { lossy: false })).toBe(500_000);
    expect(pieceBytes(500_000, { lossy: false, throughput: RATE })).toBe(500_000);
    expect(pieceBytes(500_000, { lossy: true, throughput: RATE })).toBe(chunkBytesFor(RATE));
    expect(pieceBytes(10_000, { lossy: true, throughput: RATE })).toBe(10_000);
    expect(pieceBytes(500_000, { lossy: true })).toBe(MIN_CHUNK_BYTES);
    expect(pieceBytes(500_000, { fixed: 16_384, lossy: false })).toBe(16_384);
    expect(pieceBytes(0, { lossy: false })).toBe(0);
  });

  it('surelySent: half the rate over the time, at most the body, nothing without time', () => {
    expect(surelySent(200_000, 4_000, RATE)).toBe(50_000);
    expect(surelySent(20_000, 4_000, RATE)).toBe(20_000);
    expect(surelySent(200_000, 0, RATE)).toBe(0);
    expect(surelySent(200_000, 10_000, undefined)).toBe(15_000);
  });

  it('cutLostBytes: too little surely sent says nothing; kept less than half of it says lossy', () => {
    expect(cutLostBytes({ from: 0, sentBytes: MIN_CHUNK_BYTES - 1 }, 0)).toBe(false);
    expect(cutLostBytes({ from: 1_000, sentBytes: 100_000 }, 1_000)).toBe(true);
    expect(cutLostBytes({ from: 1_000, sentBytes: 100_000 }, 60_000)).toBe(false);
    fc.assert(
      fc.property(fc.nat(1e6), fc.integer({ min: MIN_CHUNK_BYTES, max: 1e6 }), (from, sent) => {
        // Keeping everything that surely left is never called lossy.
        expect(cutLostBytes({ from, sentBytes: sent }, from + sent)).toBe(false);
      }),
    );
  });
});
