// Renders the app icons from one SVG with the project's Chromium. Run once when the design
// changes (`node --import tsx scripts/make-icons.ts`); the PNGs are committed under public/icons.
import { chromium } from 'playwright-core';
import { writeFile } from 'node:fs/promises';

const THEME = '#8c1c13';

/** `safe` shrinks the artwork into the maskable safe zone (a circle of 80% of the size). */
function svg(size: number, safe: boolean): string {
  const s = safe ? 0.72 : 1;
  const radius = safe ? 0 : size * 0.18;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">
  <rect width="100" height="100" rx="${(radius / size) * 100}" fill="${THEME}"/>
  <g transform="translate(50 50) scale(${s}) translate(-50 -50)">
    <path d="M20 30 a34 34 0 0 1 60 0" fill="none" stroke="#fff" stroke-width="5" stroke-linecap="round" opacity=".55"/>
    <path d="M30 37 a22 22 0 0 1 40 0" fill="none" stroke="#fff" stroke-width="5" stroke-linecap="round" opacity=".8"/>
    <path d="M56 44 v22 a12 12 0 0 1 -24 0" fill="none" stroke="#fff" stroke-width="9" stroke-linecap="round"/>
    <path d="M14 84 q9 -7 18 0 t18 0 t18 0 t18 0" fill="none" stroke="#f6c343" stroke-width="4.5" stroke-linecap="round"/>
  </g>
</svg>`;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
for (const [file, size, safe] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
  ['apple-touch-icon.png', 180, true],
] as const) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg(size, safe)}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  await writeFile(new URL(`../public/icons/${file}`, import.meta.url), png);
}
await writeFile(new URL('../public/icons/icon.svg', import.meta.url), svg(512, false));
await browser.close();
