// Runs axe-core in a real page and returns its WCAG 2.1 A/AA (and best-practice) violations. The app's CSP allows
// only same-origin scripts, so a <script> tag with axe's source would be refused; evaluating the
// source through the DevTools protocol (page.evaluate) is not subject to the page's CSP, so the
// audit sees the app exactly as it ships, CSP included.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let source: string | undefined;

function axeSource(): string {
  source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

/**
 * The WCAG 2.0 and 2.1 levels A and AA, what public-sector rules ask for, plus axe's best
 * practices: Lighthouse's accessibility score counts those too (a skipped heading level, say).
 */
export const AUDIT_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] as const;

export interface AxeNode {
  target: string[];
  html: string;
  failureSummary?: string;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** Puts axe on the page unless it is already there (it survives hash navigation, not reloads). */
export async function injectAxe(page: Page): Promise<void> {
  const present = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(axeSource());
}

/** Audits the whole document as it is now; an empty list means no violation of AUDIT_TAGS. */
export async function auditPage(page: Page): Promise<AxeViolation[]> {
  await injectAxe(page);
  return page.evaluate(async (tags) => {
    interface Axe {
      run(context: Document, options: object): Promise<{ violations: AxeViolation[] }>;
    }
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    // Plain data only: axe's result objects hold DOM references that cannot leave the page.
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, failureSummary: n.failureSummary })),
    }));
  }, [...AUDIT_TAGS]);
}

/** A readable report: which rule, where, and axe's own advice, so a failure explains itself. */
export function formatViolations(where: string, violations: readonly AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no violations`;
  const lines = [`${where}: ${violations.length} violation(s)`];
  for (const v of violations) {
    lines.push(`  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 5)) {
      lines.push(`    at ${n.target.join(' ')}`);
      lines.push(`      ${n.html.slice(0, 200)}`);
      if (n.failureSummary) lines.push(`      ${n.failureSummary.replace(/\n/g, '\n      ')}`);
    }
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more`);
  }
  return lines.join('\n');
}
