// Serves the built PWA (Vite's dist/) from the same origin as the API, so the default install is
// one process. Hashed files under /assets/ never change and are cached for a year; everything
// else (index.html, sw.js, the manifest) must be revalidated so an update reaches phones.
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isApiPath, pathOf } from './security-headers.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

export function cacheControlFor(root: string, file: string): string {
  const rel = relative(root, file).split(sep).join('/');
  return rel.startsWith('assets/') ? IMMUTABLE : REVALIDATE;
}

export function registerStaticApp(app: FastifyInstance, root: string): void {
  app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    // send's default Cache-Control would be wrong for both kinds of file; setHeaders decides.
    cacheControl: false,
    etag: true,
    lastModified: true,
    setHeaders: (reply, file) => {
      reply.header('cache-control', cacheControlFor(root, file));
    },
  });
}

/**
 * A deep link like /permohonan/01JD… is a screen of the app, not a file: answer with the app's
 * shell and let its router take over. Paths with a file extension and /api/* stay 404s.
 */
export function isAppNavigation(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = pathOf(request.url);
  if (isApiPath(path)) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

export function hasAppShell(root: string | undefined): root is string {
  return root !== undefined && existsSync(join(root, 'index.html'));
}

export function sendAppShell(reply: FastifyReply): FastifyReply {
  return reply.sendFile('index.html');
}
