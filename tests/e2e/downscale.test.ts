// On-device downscaling in real Chromium (issue 5, "Done when" 3): a 12-megapixel photo and a
// large transparent PNG, generated in the page, come out ≤ 300 KB with the long edge ≤ 1600 px.
// The module is built by Vite exactly as the app will build it (its worker a separate asset),
// into a test-only folder served by the real server beside the real app, so nothing test-only
// ships and nothing is exposed globally in production.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { launchPhone } from '../support/chromium.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Builds a probe that puts the module on window.__probe, under /__test/ of a copy of dist. */
async function buildProbe(staticDir: string): Promise<void> {
  await cp(join(REPO, 'dist'), staticDir, { recursive: true });
  const src = await mkdtemp(join(tmpdir(), 'jangkau-probe-src-'));
  const entry = join(src, 'probe.ts');
  await writeFile(entry, `import { downscaleImage } from ${JSON.stringify(join(REPO, 'src/lib/image-downscale.ts'))};\n(globalThis as unknown as { __probe: unknown }).__probe = { downscaleImage };\n`);
  await build({
    configFile: false,
    root: src,
    base: '/__test/',
    logLevel: 'warn',
    mode: 'production',
    build: {
      outDir: join(staticDir, '__test'),
      emptyOutDir: true,
      target: ['chrome80', 'safari15.4', 'firefox100'],
      rollupOptions: { input: { probe: entry }, output: { entryFileNames: '[name].js' } },
    },
  });
  await rm(src, { recursive: true, force: true });
}

interface Outcome {
  ok: boolean;
  reason?: string;
  bytes: number;
  width: number;
  height: number;
  quality: number;
  originalBytes: number;
  /** Decoded from the output blob, not taken from the result. */
  decodedWidth: number;
  decodedHeight: number;
  type: string;
  ms: number;
  /** Longest stretch the page's thread was busy during the call, in ms. */
  longestGap: number;
  /** RGBA of the output's top-left pixel. */
  corner: number[];
}

describe.skipIf(!inject('chromium'))('downscaling photos on the device', () => {
  let server: ServerProcess;
  let staticDir: string;
  let profile: string;
  let context: BrowserContext | undefined;
  let page: Page;
  const workerScripts: string[] = [];

  beforeAll(async () => {
    staticDir = await mkdtemp(join(tmpdir(), 'jangkau-static-'));
    await buildProbe(staticDir);
    server = await startServerProcess({ port: 0, env: { STATIC_DIR: staticDir } });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-phone-'));
    context = await launchPhone(profile);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('worker', (worker) => workerScripts.push(worker.url()));
    await page.goto(server.url + '/');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.addScriptTag({ url: '/__test/probe.js', type: 'module' });
    await page.waitForFunction(() => '__probe' in globalThis);
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
    await rm(staticDir, { recursive: true, force: true });
  });

  /**
   * Makes an input in the page (kept on window.__input), runs downscaleImage on it and decodes the
   * output to measure it. `kind` picks the generator.
   */
  async function run(kind: 'photo' | 'png' | 'small' | 'rotated', options: Record<string, unknown> = {}): Promise<{ input: { bytes: number; type: string; ms: number }; out: Outcome }> {
    const input = await page.evaluate(async (k) => {
      const t0 = performance.now();
      const sizes = { photo: [4000, 3000], png: [3000, 2200], small: [640, 480], rotated: [800, 400] } as const;
      const [w, h] = sizes[k];
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d')!;
      // A seeded generator: the same "photo" every run, so sizes are comparable across runs.
      let seed = 12345;
      const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
      if (k !== 'png') {
        // Sky, sea and sand gradients, blurred shapes, a printed label, then sensor-like noise:
        // enough structure and grain that JPEG cannot shrink it trivially.
        const g = ctx.createLinearGradient(0, 0, w * 0.3, h);
        g.addColorStop(0, '#6fa8dc');
        g.addColorStop(0.45, '#cfe2f3');
        g.addColorStop(0.55, '#1c4587');
        g.addColorStop(1, '#e6d3a3');
        ctx.fillStyle = g;
        ctx.fillRect(0, 0, w, h);
        for (let i = 0; i < 400; i++) {
          ctx.fillStyle = `hsla(${Math.floor(rand() * 360)}, 50%, ${30 + rand() * 40}%, ${0.2 + rand() * 0.5})`;
          ctx.beginPath();
          ctx.ellipse(rand() * w, rand() * h, 5 + rand() * w * 0.05, 5 + rand() * h * 0.05, rand() * Math.PI, 0, Math.PI * 2);
          ctx.fill();
        }
        ctx.fillStyle = '#111';
        ctx.font = `${Math.round(h / 25)}px sans-serif`;
        for (let line = 0; line < 8; line++) ctx.fillText(`COKLIT PEMILU 2029 · TPS 0${line} · DESA KELABAT · NIK 1901024501900001`, w * 0.05, h * 0.1 + line * (h / 18));
        const data = ctx.getImageData(0, 0, w, h);
        const px = data.data;
        for (let i = 0; i < px.length; i += 4) {
          const n = (rand() - 0.5) * 28;
          px[i] = px[i]! + n;
          px[i + 1] = px[i + 1]! + n;
          px[i + 2] = px[i + 2]! + n;
        }
        ctx.putImageData(data, 0, 0);
      } else {
        // A scanned document with a transparent background: dark text and stamps, coloured noise
        // on the ink so PNG stays large.
        const data = ctx.createImageData(w, h);
        const px = data.data;
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const i = (y * w + x) * 4;
            const ink = (Math.sin(x / 7) * Math.cos(y / 11) > 0.6 && y > 100) || (x > w * 0.6 && y > h * 0.6);
            if (ink) {
              px[i] = 20 + rand() * 60;
              px[i + 1] = 30 + rand() * 60;
              px[i + 2] = 90 + rand() * 80;
              px[i + 3] = 255;
            }
          }
        }
        ctx.putImageData(data, 0, 0);
      }
      const type = k === 'png' ? 'image/png' : 'image/jpeg';
      let blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), type, k === 'small' ? 0.8 : 0.92));
      if (k === 'rotated') {
        // Insert an EXIF APP1 segment with Orientation = 6 (rotate 90° clockwise), as a phone
        // held upright writes it: the pixels are stored landscape.
        const exif = new Uint8Array([
          0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00,
          0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        ]);
        const bytes = new Uint8Array(await blob.arrayBuffer());
        blob = new Blob([bytes.subarray(0, 2), exif, bytes.subarray(2)], { type });
      }
      (globalThis as unknown as { __input: Blob }).__input = blob;
      return { bytes: blob.size, type: blob.type, ms: Math.round(performance.now() - t0) };
    }, kind);
    const out = await page.evaluate(async (opts) => {
      const probe = (globalThis as unknown as { __probe: { downscaleImage(b: Blob, o: unknown): Promise<Record<string, unknown>> } }).__probe;
      const blob = (globalThis as unknown as { __input: Blob }).__input;
      // How long the page's own thread went without running a timer: the form's responsiveness.
      let last = performance.now();
      let longestGap = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
      }, 5);
      const t0 = performance.now();
      const result = await probe.downscaleImage(blob, opts);
      const ms = Math.round(performance.now() - t0);
      clearInterval(ticker);
      longestGap = Math.round(Math.max(longestGap, performance.now() - last));
      if (!result.ok) return { ok: false, reason: String(result.reason), ms } as Outcome;
      const output = result.blob as Blob;
      const bitmap = await createImageBitmap(output);
      const canvas = new OffscreenCanvas(1, 1);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const corner = Array.from(ctx.getImageData(0, 0, 1, 1).data);
      return {
        ok: true,
        bytes: output.size,
        type: output.type,
        width: result.width as number,
        height: result.height as number,
        quality: result.quality as number,
        originalBytes: result.originalBytes as number,
        decodedWidth: bitmap.width,
        decodedHeight: bitmap.height,
        ms,
        longestGap,
        corner,
      } as Outcome;
    }, options);
    return { input, out };
  }

  function report(label: string, r: { input: { bytes: number; ms: number }; out: Outcome }): void {
    const o = r.out;
    console.log(
      `${label}: in ${(r.input.bytes / 1024).toFixed(0)} KB (made in ${r.input.ms} ms) → out ${(o.bytes / 1024).toFixed(0)} KB, ` +
        `${o.decodedWidth}×${o.decodedHeight}, quality ${o.quality}, ${o.ms} ms (page thread busy at most ${o.longestGap} ms at a time)`,
    );
  }

  it('a 12-megapixel photo becomes ≤ 300 KB, long edge ≤ 1600 px, aspect kept, in a worker', async () => {
    const r = await run('photo');
    report('12 MP JPEG', r);
    expect(r.input.bytes).toBeGreaterThan(2_500_000);
    expect(r.out.ok).toBe(true);
    expect(r.out.type).toBe('image/jpeg');
    expect(r.out.bytes).toBeLessThanOrEqual(300_000);
    expect(r.out.originalBytes).toBe(r.input.bytes);
    expect(Math.max(r.out.decodedWidth, r.out.decodedHeight)).toBeLessThanOrEqual(1600);
    expect([r.out.decodedWidth, r.out.decodedHeight]).toEqual([r.out.width, r.out.height]);
    // Legible: no lower than minQuality, and no smaller than needed (4000×3000 → 1600×1200 fits).
    expect(r.out.quality).toBeGreaterThanOrEqual(0.5);
    expect(r.out.decodedWidth / r.out.decodedHeight).toBeCloseTo(4 / 3, 2);
    expect(workerScripts.some((url) => url.includes('image-downscale.worker'))).toBe(true);
  });

  it('a large transparent PNG becomes a JPEG on white within the limits', async () => {
    const r = await run('png');
    report('PNG 3000×2200', r);
    expect(r.input.type).toBe('image/png');
    expect(r.input.bytes).toBeGreaterThan(1_000_000);
    expect(r.out.type).toBe('image/jpeg');
    expect(r.out.bytes).toBeLessThanOrEqual(300_000);
    expect(Math.max(r.out.decodedWidth, r.out.decodedHeight)).toBeLessThanOrEqual(1600);
    expect(r.out.decodedWidth / r.out.decodedHeight).toBeCloseTo(3000 / 2200, 2);
    // The transparent corner is white, not black.
    for (const channel of r.out.corner.slice(0, 3)) expect(channel).toBeGreaterThan(240);
  });

  it('a small photo is not enlarged and not made heavier', async () => {
    const r = await run('small');
    report('small JPEG 640×480', r);
    expect(r.out.ok).toBe(true);
    expect([r.out.decodedWidth, r.out.decodedHeight]).toEqual([640, 480]);
    expect(r.out.bytes).toBeLessThanOrEqual(r.input.bytes);
  });

  it('respects the EXIF orientation of a phone held upright', async () => {
    const r = await run('rotated');
    report('EXIF-rotated JPEG 800×400', r);
    expect([r.out.decodedWidth, r.out.decodedHeight]).toEqual([400, 800]);
  });

  it('a per-field edge limit applies', async () => {
    const r = await run('photo', { maxEdge: 1024 });
    report('12 MP JPEG, maxEdge 1024', r);
    expect([r.out.decodedWidth, r.out.decodedHeight]).toEqual([1024, 768]);
    expect(r.out.bytes).toBeLessThanOrEqual(300_000);
  });

  it('without OffscreenCanvas (Safari 15.4) the main-thread canvas gives the same limits', async () => {
    const workersBefore = workerScripts.length;
    await page.evaluate(() => {
      const g = globalThis as unknown as { OffscreenCanvas: unknown; __saved: unknown };
      g.__saved = g.OffscreenCanvas;
      g.OffscreenCanvas = undefined;
    });
    try {
      const input = await page.evaluate(async () => {
        const canvas = document.createElement('canvas');
        canvas.width = 4000;
        canvas.height = 3000;
        const ctx = canvas.getContext('2d')!;
        const g = ctx.createRadialGradient(2000, 1500, 10, 2000, 1500, 2500);
        g.addColorStop(0, '#fce5cd');
        g.addColorStop(1, '#274e13');
        ctx.fillStyle = g;
        ctx.fillRect(0, 0, 4000, 3000);
        const data = ctx.getImageData(0, 0, 4000, 3000);
        let seed = 7;
        for (let i = 0; i < data.data.length; i += 4) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          const n = ((seed / 2 ** 32) - 0.5) * 24;
          data.data[i] = data.data[i]! + n;
          data.data[i + 1] = data.data[i + 1]! + n;
        }
        ctx.putImageData(data, 0, 0);
        const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.92));
        (globalThis as unknown as { __input: Blob }).__input = blob;
        return blob.size;
      });
      const out = await page.evaluate(async () => {
        const probe = (globalThis as unknown as { __probe: { downscaleImage(b: Blob): Promise<{ ok: boolean; blob: Blob; width: number; height: number }> } }).__probe;
        let last = performance.now();
        let longestGap = 0;
        const ticker = setInterval(() => {
          const now = performance.now();
          longestGap = Math.max(longestGap, now - last);
          last = now;
        }, 5);
        const t0 = performance.now();
        const r = await probe.downscaleImage((globalThis as unknown as { __input: Blob }).__input);
        const ms = Math.round(performance.now() - t0);
        clearInterval(ticker);
        longestGap = Math.round(Math.max(longestGap, performance.now() - last));
        const bitmap = await createImageBitmap(r.blob);
        return { ok: r.ok, bytes: r.blob.size, width: bitmap.width, height: bitmap.height, ms, longestGap };
      });
      console.log(`12 MP JPEG, main-thread fallback: in ${(input / 1024).toFixed(0)} KB → out ${(out.bytes / 1024).toFixed(0)} KB, ${out.width}×${out.height}, ${out.ms} ms (page thread busy at most ${out.longestGap} ms at a time)`);
      expect(out).toMatchObject({ ok: true, width: 1600, height: 1200 });
      expect(out.bytes).toBeLessThanOrEqual(300_000);
      expect(workerScripts.length).toBe(workersBefore);
    } finally {
      await page.evaluate(() => {
        const g = globalThis as unknown as { OffscreenCanvas: unknown; __saved: unknown };
        g.OffscreenCanvas = g.__saved;
      });
    }
  });

  it('a file that is not an image, or a broken one, is an answer, not an exception', async () => {
    const answers = await page.evaluate(async () => {
      const probe = (globalThis as unknown as { __probe: { downscaleImage(b: Blob): Promise<{ ok: boolean; reason?: string }> } }).__probe;
      const text = await probe.downscaleImage(new Blob(['MZ this is not a photo'], { type: 'application/x-msdownload' }));
      const broken = await probe.downscaleImage(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])], { type: 'image/jpeg' }));
      const untyped = await probe.downscaleImage(new Blob(['just text']));
      return [text, broken, untyped];
    });
    expect(answers).toEqual([
      { ok: false, reason: 'not_an_image' },
      { ok: false, reason: 'undecodable' },
      { ok: false, reason: 'not_an_image' },
    ]);
  });
});
