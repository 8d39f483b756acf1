// Pure pieces of the tus client: how big a chunk the link can carry, and the request headers.
// A chunk is the unit that is lost when a link drops mid-request, so it should take a few seconds
// on the current link: big enough that headers and round trips stay a small share, small enough
// that a cut costs little.

export const MIN_CHUNK_BYTES = 16 * 1024;
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** Seconds one chunk should take on the observed link. */
export const TARGET_CHUNK_SECONDS = 6;
/** Before anything is measured: what a 32 kbit/s island link moves in about 5 s. */
export const FIRST_CHUNK_BYTES = MIN_CHUNK_BYTES;

/** Chunk size for an observed upload throughput in bytes per second (undefined: not measured yet). */
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

export function headHeaders(auth: string): Record<string, string> {
  return { authorization: auth, 'tus-resumable': TUS_VERSION };
}

/** A non-negative integer header value, or undefined. */
export function readOffset(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
