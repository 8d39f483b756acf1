// Pure pieces of the tus client: how much of a file one request carries, and the request headers.
// Each request costs a round trip (840 ms on the islands' EDGE), so while the link keeps what a cut
// request delivered (this server does: tus stores a body's bytes as they arrive) a file goes in one
// request, the creation itself (creation-with-upload). Only a link seen throwing away the part of
// a body that a cut interrupted (a buffering proxy on the way) gets link-sized pieces: there a
// piece is the unit that is lost, so it should take a few seconds on the current link: big enough
// that headers and round trips stay a small share, small enough that a cut costs little.

export const MIN_CHUNK_BYTES = 16 * 1024;
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** Seconds one chunk should take on the observed link. */
export const TARGET_CHUNK_SECONDS = 6;
/** Before anything is measured: what a 32 kbit/s island link moves in about 5 s. */
export const FIRST_CHUNK_BYTES = MIN_CHUNK_BYTES;

/** Piece size (link-sized) for an observed upload throughput in bytes per second (undefined: not measured yet). */
export function chunkBytesFor(throughputBytesPerSecond: number | undefined): number {
  if (throughputBytesPerSecond === undefined || !Number.isFinite(throughputBytesPerSecond) || throughputBytesPerSecond <= 0) {
    return FIRST_CHUNK_BYTES;
  }
  const wanted = Math.round(throughputBytesPerSecond * TARGET_CHUNK_SECONDS);
  // Round down to 16 KB steps so sizes stay stable while the estimate wobbles.
  const stepped = Math.floor(wanted / MIN_CHUNK_BYTES) * MIN_CHUNK_BYTES;
  return Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, stepped));
}

/**
 * A smoothed throughput estimate: each acknowledged chunk moves it a third of the way, so one
 * lucky or unlucky chunk does not swing the size.
 */
export function nextThroughput(previous: number | undefined, bytes: number, ms: number): number | undefined {
  if (bytes <= 0 || ms <= 0) return previous;
  const sample = (bytes * 1000) / ms;
  return previous === undefined ? sample : previous + (sample - previous) / 3;
}

/** 32 kbit/s minus overhead: the slowest link the islands have. */
export const SLOWEST_BYTES_PER_SECOND = 3_000;

/** A request carrying a body from `from` that the link cut: what surely left the phone before. */
export interface CutBody {
  from: number;
  sentBytes: number;
}

/**
 * Bytes that surely left the phone during a body request cut after `ms`: half what the observed
 * rate (the slowest link's, before any is known) moves in that time, at most the body. Half,
 * because a request also waits for its connection and the rate wobbles; too low an estimate only
 * makes a lossy link look like a keeping one for one more cut.
 */
export function surelySent(bodyBytes: number, ms: number, throughput: number | undefined): number {
  const rate = throughput !== undefined && Number.isFinite(throughput) && throughput > 0 ? throughput : SLOWEST_BYTES_PER_SECOND;
  if (!(ms > 0) || !(bodyBytes > 0)) return 0;
  return Math.min(bodyBytes, Math.floor((ms / 1000) * rate * 0.5));
}

/**
 * Whether the way to the server threw away what a cut request delivered: the server's offset
 * after the cut moved less than half of what surely left. Less than the smallest piece surely
 * sent says nothing either way (the link may have been gone before the body started).
 */
export function cutLostBytes(cut: CutBody, offsetAfter: number): boolean {
  if (cut.sentBytes < MIN_CHUNK_BYTES) return false;
  return offsetAfter - cut.from < cut.sentBytes / 2;
}

/**
 * How many of the `remaining` bytes the next request carries: a fixed size when asked (tests, the
 * benchmark's variants), link-sized pieces on a link that loses cut bodies, else all of them.
 */
export function pieceBytes(remaining: number, plan: { fixed?: number; lossy: boolean; throughput?: number }): number {
  if (remaining <= 0) return 0;
  if (plan.fixed !== undefined && plan.fixed > 0) return Math.min(remaining, plan.fixed);
  if (plan.lossy) return Math.min(remaining, chunkBytesFor(plan.throughput));
  return remaining;
}

function base64Utf8(value: string): string {
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The tus `Upload-Metadata` value: `key base64(value)` pairs, comma separated. */
export function encodeUploadMetadata(pairs: Readonly<Record<string, string>>): string {
  return Object.entries(pairs)
    .map(([key, value]) => `${key} ${base64Utf8(value)}`)
    .join(',');
}

export const TUS_VERSION = '1.0.0';

export function createHeaders(auth: string, length: number, sha256: string, type: string): Record<string, string> {
  return {
    authorization: auth,
    'tus-resumable': TUS_VERSION,
    'upload-length': String(length),
    'upload-metadata': encodeUploadMetadata({ sha256, type }),
  };
}

export function patchHeaders(auth: string, offset: number): Record<string, string> {
  return {
    authorization: auth,
    'tus-resumable': TUS_VERSION,
    'upload-offset': String(offset),
    'content-type': 'application/offset+octet-stream',
  };
}

/** The creation POST that carries the first piece (tus creation-with-upload). */
export function createWithBodyHeaders(auth: string, length: number, sha256: string, type: string): Record<string, string> {
  return { ...createHeaders(auth, length, sha256, type), 'content-type': 'application/offset+octet-stream' };
}

export function headHeaders(auth: string): Record<string, string> {
  return { authorization: auth, 'tus-resumable': TUS_VERSION };
}

/** A non-negative integer header value, or undefined. */
export function readOffset(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
