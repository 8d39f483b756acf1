// Global setup of the e2e suite: build the app once (the build checks need no browser), and find
// Chromium. Without Chromium the browser tests are skipped with a loud line, except in CI, where
// that is a failure.
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_PATH, chromiumAvailable } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: boolean;
  }
}

export default function setup(project: TestProject): void {
  const available = chromiumAvailable();
  if (!available) {
    if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM_PATH}; CI must install it (apt-get install chromium).`);
    console.warn(`\nChromium not found at ${CHROMIUM_PATH}: SKIPPING the end-to-end browser suite (apt-get install chromium).\n`);
  }
  if (process.env.E2E_SKIP_BUILD !== '1') {
    // Vitest sets NODE_ENV=test; a build under it would be a development build.
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  }
  project.provide('chromium', available);
}
