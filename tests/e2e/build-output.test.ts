// Checks the built app itself: what the worker precaches, the manifest and its icons, no inline
// script (the CSP forbids it), and the first-load JavaScript budget from DESIGN.md.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstLoadJs } from '../../bench/first-load-size.ts';

const DIST = new URL('../../dist', import.meta.url).pathname;
const FIRST_LOAD_BUDGET_GZIP = 130 * 1024;

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('built app', () => {
  it('precaches the shell, every asset and the manifest in sw.js', () => {
    const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
    const precached = new Set([...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]));
    expect(precached).toContain('index.html');
    expect(precached).toContain('manifest.webmanifest');
    const assets = readdirSync(join(DIST, 'assets'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(precached).toContain(`assets/${asset}`);
  });

  it('has an installable Indonesian manifest with real icons', () => {
    const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8')) as {
      lang: string;
      display: string;
      theme_color: string;
      start_url: string;
      icons: { src: string; sizes: string; purpose: string }[];
    };
    expect(manifest.lang).toBe('id');
    expect(manifest.display).toBe('standalone');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(manifest.start_url).toBe('/');
    for (const [size, purpose] of [
      ['192x192', 'any'],
      ['512x512', 'any'],
      ['512x512', 'maskable'],
    ] as const) {
      const icon = manifest.icons.find((i) => i.sizes === size && i.purpose === purpose);
      expect(icon, `${size} ${purpose}`).toBeDefined();
      const file = join(DIST, icon!.src);
      expect(existsSync(file)).toBe(true);
      const [w, h] = size.split('x').map(Number);
      expect(pngSize(file)).toEqual({ width: w, height: h });
    }
  });

  it('has no inline script in index.html', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('marks the chunks of a cold start, and only those, for compilation while they stream', () => {
    // V8's explicit compile hint (vite.config.ts, compileHints): the first line of a chunk.
    const HINT = '//# allFunctionsCalledOnLoad\n';
    const hinted = (file: string) => readFileSync(join(DIST, file), 'utf8').startsWith(HINT);
    const assets = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
    const named = (prefix: string) => {
      const file = assets.find((f) => f.startsWith(`${prefix}-`));
      expect(file, prefix).toBeDefined();
      return `assets/${file!}`;
    };
    // The entry, the shell and what index.html preloads; the bundler's runtime is a few helpers.
    const firstLoad = firstLoadJs(DIST).files.filter((f) => !f.includes('rolldown-runtime'));
    expect(firstLoad.length).toBeGreaterThan(5);
    for (const file of firstLoad) expect(hinted(file), file).toBe(true);
    for (const screen of ['form-screen', 'requests-screen', 'request-screen']) expect(hinted(named(screen)), screen).toBe(true);
    // Loaded on demand, mostly not run at once: V8 keeps compiling them lazily.
    for (const lazy of ['officer-routes', 'jsQR', 'device-engine', 'kpi-screen']) expect(hinted(named(lazy)), lazy).toBe(false);
  });

  it("loads the form screen in two files beyond index.html's, so the preload helper appends two links", () => {
    // vite.config.ts, formDepsGroup: the form's modules no first-load chunk holds are one chunk.
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const entry = firstLoadJs(DIST).files.find((f) => f.startsWith('assets/index-'));
    expect(entry).toBeDefined();
    const code = readFileSync(join(DIST, entry!), 'utf8');
    const list = JSON.parse(/m\.f=(\[[^\]]*\])/.exec(code)?.[1] ?? '[]') as string[];
    const deps = /import\(`\.\/(form-screen-[^`]+)`\)[^_]*__vite__mapDeps\(\[([0-9,]*)\]\)/.exec(code);
    expect(deps, 'the form screen loaded through the preload helper').not.toBeNull();
    const files = deps![2]!.split(',').map((i) => list[Number(i)]!);
    // Named by chunk (a file's hash may itself hold a '-'); any other file stays whole, to be seen.
    const notPreloaded = files.filter((f) => !html.includes(`/${f}"`)).map((f) => /^assets\/(form-deps|form-screen)-[\w-]+\.js$/.exec(f)?.[1] ?? f);
    expect(notPreloaded.sort()).toEqual(['form-deps', 'form-screen']);
    // The form screen's chunk is not on the services list's first load.
    expect(firstLoadJs(DIST).files.filter((f) => /form-(deps|screen)-/.test(f))).toEqual([]);
  });

  it('keeps the first-load JavaScript within the budget', () => {
    const size = firstLoadJs(DIST);
    console.log(`first-load JS: ${size.files.join(', ')}: ${(size.gzipBytes / 1024).toFixed(1)} KB gzip (${(size.rawBytes / 1024).toFixed(1)} KB raw)`);
    expect(size.files.length).toBeGreaterThan(0);
    expect(size.gzipBytes).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_GZIP);
  });
});
