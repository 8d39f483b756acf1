// Target size (WCAG 2.2 SC 2.5.8, level AA), measured in a real page: every visible thing a finger
// can press is at least 24×24 CSS px, and the main actions (submit buttons, .primary buttons and
// links drawn as buttons) at least 44 px high and wide, as the app's own design asks for on a
// phone. The one exception taken from the criterion: a link inside a sentence (display inline, with
// other words around it), whose size the line height sets; a link alone on its line is a target. The spacing exception is not taken: an undersized
// control is made bigger, not spaced out.
import type { Page } from 'playwright-core';

export const MIN_TARGET = 24;
export const MIN_MAIN_ACTION = 44;

export interface SmallTarget {
  /** A short description: tag, id or classes, and its text. */
  what: string;
  width: number;
  height: number;
  need: number;
}

/** Every visible interactive target on the page that is smaller than it should be. */
export async function smallTargets(page: Page): Promise<SmallTarget[]> {
  return page.evaluate(
    ({ min, main }) => {
      const interactive = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])';
      const mainAction = 'button.primary, a.button, button[type="submit"], .lang-switch';
      const out: { what: string; width: number; height: number; need: number }[] = [];
      for (const el of document.querySelectorAll<HTMLElement>(interactive)) {
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) continue;
        // Hidden from everyone (clipped to a pixel, as .visually-hidden does) is no target.
        if (el.closest('.visually-hidden')) continue;
        // A link in a sentence: display inline, and the block around it holds other words too.
        if (el.tagName === 'A' && style.display === 'inline') {
          const block = el.parentElement?.closest('p, li, dd, td, th, div, span, label, legend');
          if ((block?.textContent ?? '').trim() !== (el.textContent ?? '').trim()) continue;
        }
        const need = el.matches(mainAction) ? main : min;
        // Subpixel layout: 23.99 is 24.
        const width = Math.round(rect.width * 10) / 10;
        const height = Math.round(rect.height * 10) / 10;
        if (width + 0.05 >= need && height + 0.05 >= need) continue;
        const name = el.id ? `#${el.id}` : el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
        const type = el instanceof HTMLInputElement ? `[type=${el.type}]` : '';
        out.push({ what: `${el.tagName.toLowerCase()}${type}${name}${text ? ` "${text}"` : ''}`, width, height, need });
      }
      return out;
    },
    { min: MIN_TARGET, main: MIN_MAIN_ACTION },
  );
}

export function formatSmallTargets(where: string, small: readonly SmallTarget[]): string {
  if (small.length === 0) return `${where}: every target big enough`;
  return [`${where}: ${small.length} target(s) too small`, ...small.map((s) => `  ${s.what}: ${s.width}×${s.height} px, needs ${s.need}×${s.need}`)].join('\n');
}

/** The viewports the check runs at: the 360 px phone the app is made for, and a desktop. */
export const TARGET_VIEWPORTS = [
  { name: '360 px', width: 360, height: 640 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

/** Small targets at both widths; the page is left at the phone width it started at. */
export async function smallTargetsAtEveryWidth(page: Page): Promise<Record<string, SmallTarget[]>> {
  const found: Record<string, SmallTarget[]> = {};
  const before = page.viewportSize() ?? TARGET_VIEWPORTS[0];
  for (const viewport of TARGET_VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    // One frame for the layout at the new width.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    found[viewport.name] = await smallTargets(page);
  }
  await page.setViewportSize(before);
  return found;
}
