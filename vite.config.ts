// Builds the page and the service worker (vite-plugin-pwa, injectManifest: the worker source is
// ours, in sw/). The build targets the browser floor in DESIGN.md.
import { defineConfig, type Plugin } from 'vite';
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

export default defineConfig({
  plugins: [
    react(),
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
  },
});
