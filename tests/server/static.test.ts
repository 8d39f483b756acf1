// The built PWA served beside the API: long-lived hashed assets, revalidated shell files, the
// app's shell for deep links, and the security headers on everything.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../server/http/security-headers.ts';
import { describeEachDialect } from './helpers.ts';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>';

function makeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("install", () => {});');
  writeFileSync(join(dir, 'manifest.webmanifest'), JSON.stringify({ name: 'Jangkau', start_url: '/' }));
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log("app");');
  return dir;
}

const EXPECTED_SECURITY = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

describeEachDialect(
  'static app',
  (ctx) => {
    const get = (url: string, headers: Record<string, string> = {}) => ctx().app.inject({ method: 'GET', url, headers });

    it('serves index.html, sw.js and the manifest to be revalidated, with an ETag', async () => {
      for (const [url, type] of [
        ['/', /text\/html/],
        ['/index.html', /text\/html/],
        ['/sw.js', /javascript/],
        ['/manifest.webmanifest', /manifest\+json/],
      ] as const) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(200);
        expect(res.headers['content-type'], url).toMatch(type);
        expect(res.headers['cache-control'], url).toBe('no-cache');
        expect(res.headers.etag, url).toBeTruthy();
        const again = await get(url, { 'if-none-match': String(res.headers.etag) });
        expect(again.statusCode, url).toBe(304);
      }
      expect((await get('/')).body).toBe(INDEX);
    });

    it('serves hashed assets as immutable for a year', async () => {
      const res = await get('/assets/app-abc123.js');
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.body).toBe('console.log("app");');
    });

    it('answers deep links of the app with its shell', async () => {
      for (const url of ['/permohonan', '/permohonan/01JD2K8F0000000000000000AB', '/a/b/c?x=1']) {
        const res = await get(url, { accept: 'text/html' });
        expect(res.statusCode, url).toBe(200);
        expect(res.body, url).toBe(INDEX);
        expect(res.headers['cache-control'], url).toBe('no-cache');
        expect(res.headers['content-type'], url).toMatch(/text\/html/);
      }
    });

    it('keeps missing files, non-GET requests and unknown API paths as JSON 404s', async () => {
      const { app } = ctx();
      for (const res of [
        await get('/missing.png'),
        await get('/assets/app-000000.js'),
        await get('/api/v1/nope'),
        await get('/api'),
        await app.inject({ method: 'POST', url: '/permohonan' }),
      ]) {
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual({ error: 'not_found', message: 'Not found' });
      }
    });

    it('does not serve files outside the build directory', async () => {
      for (const url of ['/../package.json', '/%2e%2e/package.json', '/assets/../../package.json']) {
        const res = await get(url);
        expect(res.body, url).not.toContain('"name": "jangkau"');
        expect(res.statusCode, url).toBeLessThan(500);
      }
    });

    it('puts the security headers on app files, API answers and errors alike', async () => {
      const { app } = ctx();
      for (const res of [
        await get('/'),
        await get('/assets/app-abc123.js'),
        await get('/permohonan'),
        await get('/api/v1/health'),
        await get('/api/v1/nope'),
        await app.inject({ method: 'POST', url: '/api/v1/push', payload: 'x' }),
      ]) {
        expect(res.headers).toMatchObject(EXPECTED_SECURITY);
        expect(String(res.headers['permissions-policy'])).toMatch(/camera=\(self\).*geolocation=\(self\)/);
      }
      expect((await get('/api/v1/health')).headers['cache-control']).toBe('no-store');
    });
  },
  () => ({ staticDir: makeDist() }),
);
