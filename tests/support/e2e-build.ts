// Global setup of the e2e suite: build the app once (the build checks need no browser), and find
// the browsers. Chromium for the main suite; WebKitGTK (WebKitWebDriver, MiniBrowser, Xvfb) and
// Firefox ESR for the engine suites (tests/e2e/engine-*.test.ts), which share this one build.
// A browser that is missing skips its tests with a loud line, except in CI, where that is a failure.
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_PATH, chromiumAvailable } from './chromium.ts';
import { MINIBROWSER, WEBKIT_DRIVER, XVFB, webkitAvailable } from './engines/webkit.ts';
import { FIREFOX_PATH, firefoxAvailable } from './engines/gecko.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: boolean;
    webkit: boolean;
    gecko: boolean;
  }
}

function browser(name: string, available: boolean, where: string, install: string): boolean {
  if (!available) {
    if (process.env.CI) throw new Error(`${name} not found (${where}); CI must install it (apt-get install ${install}).`);
    console.warn(`\n${name} not found (${where}): SKIPPING its end-to-end tests (apt-get install ${install}).\n`);
  }
  return available;
}

export default function setup(project: TestProject): void {
  const chromium = browser('Chromium', chromiumAvailable(), CHROMIUM_PATH, 'chromium');
  const webkit = browser('WebKitGTK', webkitAvailable(), `${WEBKIT_DRIVER}, ${MINIBROWSER}, ${XVFB}`, 'webkit2gtk-driver xvfb');
  const gecko = browser('Firefox ESR', firefoxAvailable(), FIREFOX_PATH, 'firefox-esr');
  // Once per run: the e2e and the engines projects share this setup (and its build).
  if (process.env.E2E_SKIP_BUILD !== '1' && process.env.JANGKAU_E2E_BUILT !== '1') {
    // Vitest sets NODE_ENV=test; a build under it would be a development build.
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    process.env.JANGKAU_E2E_BUILT = '1';
  }
  project.provide('chromium', chromium);
  project.provide('webkit', webkit);
  project.provide('gecko', gecko);
}
