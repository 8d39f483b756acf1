// Builds the page and the service worker (vite-plugin-pwa, injectManifest: the worker source is
// ours, in sw/). The build targets the browser floor in DESIGN.md.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const THEME = '#8c1c13';

export default defineConfig({
  plugins: [
    react(),
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
