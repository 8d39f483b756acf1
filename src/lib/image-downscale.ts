// On-device downscaling of photos before they are queued: a 3 MB phone photo takes over 12
// minutes on a 32 kbit/s link, 300 KB about a minute. Runs in a dedicated worker with
// OffscreenCanvas where the browser has it, so a 12-megapixel decode does not freeze the form;
// elsewhere (Safari 15.4) on a main-thread <canvas>. Imported lazily by the photo field.

export interface DownscaleOptions {
  /** Longest edge of the output in px; never upscales. */
  maxEdge?: number;
  /** Aim for at most this many bytes. */
  targetBytes?: number;
  /** Never encode below this quality: a KTP-el or a coklit sticker must stay legible. */
  minQuality?: number;
  type?: 'image/jpeg' | 'image/webp';
}

export interface Downscaled {
  ok: true;
  blob: Blob;
  width: number;
  height: number;
  /** Encoder quality used; 1 when the original was kept as it was. */
  quality: number;
  originalBytes: number;
}

export type DownscaleResult = Downscaled | { ok: false; reason: 'not_an_image' | 'undecodable' };

export const DOWNSCALE_DEFAULTS = Object.freeze({ maxEdge: 1600, targetBytes: 300_000, minQuality: 0.5, type: 'image/jpeg' as const });

/** Quality steps: start where JPEG is still visually clean, step down until small enough. */
const START_QUALITY = 0.82;
const QUALITY_STEP = 0.08;
/** When even minQuality is too big, shrink the edge by this factor, a few times at most. */
const EDGE_SHRINK = 0.85;
const MAX_SHRINKS = 4;

/** Output size for an input of w×h: long edge at most maxEdge, aspect kept, never enlarged. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The qualities tried, high to low, ending exactly at minQuality. */
export function qualitySteps(minQuality: number): number[] {
  const steps: number[] = [];
  for (let q = START_QUALITY; q > minQuality + 1e-9; q -= QUALITY_STEP) steps.push(Math.round(q * 100) / 100);
  steps.push(minQuality);
  return steps;
}

interface Decoded {
  source: CanvasImageSource;
  width: number;
  height: number;
  close(): void;
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** A drawing surface of a given size, whichever kind of canvas the context offers. */
export interface Surface {
  context: Context2D;
  encode(type: string, quality: number): Promise<Blob | null>;
}

export type MakeSurface = (width: number, height: number) => Surface;

async function decode(file: Blob): Promise<Decoded | undefined> {
  try {
    // from-image: a portrait phone photo is stored landscape with an EXIF rotation tag.
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
  } catch {
    return undefined;
  }
}

/**
 * Decodes, draws at the target size on white (a transparent PNG becomes JPEG on white, not on
 * black) and searches the quality. Shared by the worker and the main-thread fallback.
 */
export async function downscaleOnSurface(file: Blob, options: DownscaleOptions, makeSurface: MakeSurface): Promise<DownscaleResult> {
  const { maxEdge, targetBytes, minQuality, type } = { ...DOWNSCALE_DEFAULTS, ...options };
  if (file.type && !file.type.startsWith('image/')) return { ok: false, reason: 'not_an_image' };
  const image = await decode(file);
  if (!image || image.width === 0 || image.height === 0) return { ok: false, reason: file.type ? 'undecodable' : 'not_an_image' };
  try {
    let best: Downscaled | undefined;
    for (let shrink = 0; shrink <= MAX_SHRINKS; shrink++) {
      const size = fitWithin(image.width, image.height, maxEdge * EDGE_SHRINK ** shrink);
      const surface = makeSurface(size.width, size.height);
      const ctx = surface.context;
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, size.width, size.height);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(image.source, 0, 0, size.width, size.height);
      for (const quality of qualitySteps(minQuality)) {
        const blob = await surface.encode(type, quality);
        if (!blob) return { ok: false, reason: 'undecodable' };
        const candidate: Downscaled = { ok: true, blob, ...size, quality, originalBytes: file.size };
        if (!best || blob.size < best.blob.size) best = candidate;
        if (blob.size <= targetBytes) return keepSmaller(file, image, maxEdge, type, candidate);
      }
    }
    // Still above target at the smallest size tried: the smallest result is the best on offer.
    return keepSmaller(file, image, maxEdge, type, best!);
  } finally {
    image.close();
  }
}

/**
 * A small photo already in the output type can come out larger after re-encoding; then the
 * original is kept, so choosing a photo never makes it heavier.
 */
function keepSmaller(file: Blob, image: Decoded, maxEdge: number, type: string, result: Downscaled): Downscaled {
  const fits = Math.max(image.width, image.height) <= maxEdge;
  if (fits && file.type === type && file.size <= result.blob.size) {
    return { ok: true, blob: file, width: image.width, height: image.height, quality: 1, originalBytes: file.size };
  }
  return result;
}

function offscreenSurface(width: number, height: number): Surface {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('OffscreenCanvas 2d context unavailable');
  return { context, encode: (type, quality) => canvas.convertToBlob({ type, quality }) };
}

function elementSurface(width: number, height: number): Surface {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('canvas 2d context unavailable');
  return { context, encode: (type, quality) => new Promise((resolve) => canvas.toBlob(resolve, type, quality)) };
}

/** The surface the worker uses; exported for it, not for the page. */
export const workerSurface: MakeSurface = offscreenSurface;

function offscreenAvailable(): boolean {
  return typeof Worker !== 'undefined' && typeof OffscreenCanvas !== 'undefined' && 'convertToBlob' in OffscreenCanvas.prototype;
}

/** Message the page sends the worker; the worker answers with a DownscaleResult. */
export interface DownscaleRequest {
  file: Blob;
  options: DownscaleOptions;
}

function inWorker(file: Blob, options: DownscaleOptions): Promise<DownscaleResult> {
  return new Promise((resolve, reject) => {
    // One worker per photo: it holds a decoded 12-megapixel bitmap (~48 MB), which terminating
    // gives back at once on a phone with 1 GB of memory.
    const worker = new Worker(new URL('./image-downscale.worker.ts', import.meta.url), { type: 'module' });
    const done = () => worker.terminate();
    worker.onmessage = (event: MessageEvent<DownscaleResult>) => {
      done();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      done();
      event.preventDefault();
      reject(new Error(event.message || 'downscale worker failed'));
    };
    const request: DownscaleRequest = { file, options };
    worker.postMessage(request);
  });
}

/**
 * Downscales and re-encodes a photo for the queue. Not an image, or an image the browser cannot
 * decode, is an answer, not an exception. Re-encoding also drops EXIF metadata (GPS position,
 * camera serial) that a KTP photo should not carry to the province.
 */
export async function downscaleImage(file: Blob, options: DownscaleOptions = {}): Promise<DownscaleResult> {
  if (offscreenAvailable()) {
    try {
      return await inWorker(file, options);
    } catch {
      // A browser with OffscreenCanvas but no 2d context in workers, or a worker that failed to
      // load: the main thread still gets the photo out, only less smoothly.
    }
  }
  return downscaleOnSurface(file, options, elementSurface);
}
