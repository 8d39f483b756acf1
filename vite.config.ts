// Builds the page and the service worker (vite-plugin-pwa, injectManifest: the worker source is
// ours, in sw/). The build targets the browser floor in DESIGN.md.
import { defineConfig, type Plugin, type Rollup } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const THEME = '#8c1c13';

/**
 * The entry module (src/main.tsx) starts the opening screen's IndexedDB work and then imports the
 * shell (src/app/start.tsx: React DOM and the app). This links the shell's chunk and its static
 * imports as modulepreloads in index.html, so they are fetched beside the entry's instead of after
 * it has run (bench:slow-phone). Links only, no inline script (the CSP forbids it); every first
 * visit needs these chunks anyway.
 */
function preloadShell(entry: string): Plugin {
  return {
    name: 'jangkau:preload-shell',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const chunks = new Map<string, { fileName: string; imports: string[] }>();
        let shell: string | undefined;
        for (const out of Object.values(bundle)) {
          if (out.type !== 'chunk') continue;
          chunks.set(out.fileName, out);
          if (out.facadeModuleId?.endsWith(entry)) shell = out.fileName;
        }
        if (!shell) throw new Error(`preloadShell: no chunk for ${entry}`);
        const files: string[] = [];
        const visit = (file: string) => {
          if (files.includes(file)) return;
          files.push(file);
          for (const dep of chunks.get(file)?.imports ?? []) visit(dep);
        };
        visit(shell);
        return files
          .filter((file) => !html.includes(`/${file}"`))
          .map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

/**
 * Every module the build reached from the modules whose ids end with one of `roots`, through
 * static imports (the roots included).
 */
function staticClosure(ctx: Rollup.PluginContext, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const dep of ctx.getModuleInfo(id)?.importedIds ?? []) visit(dep);
  };
  for (const id of ctx.getModuleIds()) if (roots.some((root) => id.endsWith(root))) visit(id);
  return seen;
}

/**
 * V8's explicit compile hint (Chromium 136+; other engines ignore the comment): a chunk that
 * starts with `//# allFunctionsCalledOnLoad` is compiled whole while it is streamed, off the main
 * thread, instead of each function being compiled on the main thread when it first runs (React
 * DOM's and the shell's first render, Dexie's open). Only the chunks of a cold start carry it: the
 * static imports of the entry, of the shell and of the resident's opening screens (`roots`);
 * lazily loaded code (the officer's screens, the QR scanner, the sync engine, exports) keeps V8's
 * lazy compilation. `postBanner` goes in after minification, which would drop a comment, and
 * before the file's hash, so a hinted chunk's name changes with its content (bench:slow-phone).
 */
const HINT_LINE = '//# allFunctionsCalledOnLoad\n';

function compileHints(roots: readonly string[]): { plugin: Plugin; banner: (chunk: { moduleIds: readonly string[] }) => string } {
  const onStartPath = new Set<string>();
  return {
    plugin: {
      name: 'jangkau:compile-hints',
      apply: 'build',
      buildEnd() {
        onStartPath.clear();
        for (const id of staticClosure(this, roots)) onStartPath.add(id);
        if (onStartPath.size === 0) throw new Error('compileHints: no module of the cold start found');
      },
      // Vite puts its preload helper's file list (`__vite__mapDeps`) in front of a chunk after
      // the banner; the hint must stay the file's first line. Same bytes, so the hash still fits
      // (a source map would be off by a line; the build makes none).
      generateBundle: {
        order: 'post',
        handler(_options, bundle) {
          for (const out of Object.values(bundle)) {
            if (out.type !== 'chunk' || out.code.startsWith(HINT_LINE)) continue;
            const at = out.code.indexOf(`\n${HINT_LINE}`);
            if (at !== -1) out.code = HINT_LINE + out.code.slice(0, at + 1) + out.code.slice(at + 1 + HINT_LINE.length);
          }
        },
      },
    },
    banner: (chunk) => (chunk.moduleIds.some((id) => onStartPath.has(id)) ? HINT_LINE.trimEnd() : ''),
  };
}

/**
 * The modules the form screen imports that no first-load chunk holds, in one chunk of their own
 * (`form-deps`): a cold start on a form route then loads 2 files after the entry has run instead
 * of 8, and Vite's preload helper appends 2 `<link rel=modulepreload>` instead of 8 (each costs
 * the throttled main thread ~10 ms at that point, bench:slow-phone).
 */
function formDepsGroup(screen: string, firstLoad: readonly string[]): { plugin: Plugin; test: (id: string) => boolean } {
  const formDeps = new Set<string>();
  return {
    plugin: {
      name: 'jangkau:form-deps',
      apply: 'build',
      buildEnd() {
        formDeps.clear();
        const loaded = staticClosure(this, firstLoad);
        for (const id of staticClosure(this, [screen])) if (!loaded.has(id) && !id.endsWith(screen)) formDeps.add(id);
        if (formDeps.size === 0) throw new Error('formDepsGroup: no module found');
      },
    },
    test: (id) => formDeps.has(id),
  };
}

const formDeps = formDepsGroup('/src/features/requests/form-screen.tsx', ['/src/main.tsx', '/src/app/start.tsx']);

const hints = compileHints([
  '/src/main.tsx',
  '/src/app/start.tsx',
  '/src/features/requests/form-screen.tsx',
  '/src/features/requests/requests-screen.tsx',
  '/src/features/requests/request-screen.tsx',
]);

export default defineConfig({
  plugins: [
    react(),
    hints.plugin,
    formDeps.plugin,
    preloadShell('/src/app/start.tsx'),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      // Registration is ours (src/lib/sw-registration.ts): no inline script, an update prompt.
      injectRegister: false,
      injectManifest: {
        // A classic worker script: module service workers need Chromium 91+, the floor is 80.
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,woff2}'],
      },
      manifest: {
        id: '/',
        name: 'Jangkau — Layanan KPU Kepulauan Bangka Belitung',
        short_name: 'Jangkau',
        description:
          'Ajukan permohonan dan layanan KPU Provinsi Kepulauan Bangka Belitung, juga tanpa sinyal. ' +
          'Data tersimpan di ponsel dan terkirim otomatis saat sinyal kembali.',
        lang: 'id',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: THEME,
        categories: ['government', 'utilities'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
  ],
  build: {
    target: ['chrome80', 'safari15.4', 'firefox100'],
    sourcemap: false,
    rolldownOptions: {
      output: { postBanner: hints.banner, codeSplitting: { groups: [{ name: 'form-deps', test: formDeps.test, includeDependenciesRecursively: false }] } },
    },
  },
});
