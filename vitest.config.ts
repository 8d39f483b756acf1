// Suites: unit (pure logic and device storage on fake-indexeddb), server (the API through
// app.inject, on SQLite and on PostgreSQL when one is reachable), security (attacks from outside),
// e2e (the built app in real Chromium against the real server) and chaos.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Vitest 5's failure summary calls Map.groupBy, which Node 20 lacks: without this, a failing
// run hides its failures behind a reporter crash.
if (!('groupBy' in Map)) {
  Object.defineProperty(Map, 'groupBy', {
    value<K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> {
      const groups = new Map<K, T[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const group = groups.get(k);
        if (group) group.push(item);
        else groups.set(k, [item]);
      }
      return groups;
    },
  });
}

// The key-encryption key every test server (in process or spawned) encrypts personal data with
// (server/crypto/kek.ts); a fixed test value, so tests can read what they stored.
const TEST_KEK_ENV = { JANGKAU_KEK: 'dGVzdC1vbmx5LWtlay1mb3ItamFuZ2thdS10ZXN0cyE=' };

/** The browser projects (e2e in Chromium, engines in WebKit and Gecko): the built app, one build per run. */
const BROWSER_SUITE = {
  env: TEST_KEK_ENV,
  environment: 'node' as const,
  setupFiles: ['tests/support/test-audit-key.ts'],
  globalSetup: ['tests/support/e2e-build.ts'],
  testTimeout: 180_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    // Two files at once even on CI's 2 cores (Vitest's default there is one). The chaos files go
    // one at a time after unit, server and security, then the model, then the Chromium files, two
    // at a time among themselves, then the WebKit and Gecko files, one at a time. The Chromium files
    // took twice as long beside the server suites (session 10), but beside each other they wait on
    // links, servers and browsers as much as they compute (session 11: 616 s against 725 s one at a
    // time, on the same loaded machine).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // Some tests derive keys from passphrases (the safety copy, the PIN) on purpose slowly;
          // beside another suite's files on 2 loaded cores, 5 s is too tight for them.
          testTimeout: 20_000,
          setupFiles: ['tests/support/fake-indexeddb-setup.ts'],
        },
      },
      {
        test: {
          name: 'server',
          env: TEST_KEK_ENV,
          include: ['tests/server/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/test-audit-key.ts'],
          globalSetup: ['tests/support/postgres-probe.ts'],
          // 60 s: on 2 loaded cores a test of 500 submissions on PostgreSQL has taken 30 s.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // The model-based test of the whole system (tests/model/README.md): seeded fast-check
          // command sequences against a phone on fake-indexeddb and the real server app in-process.
          name: 'model',
          env: TEST_KEK_ENV,
          include: ['tests/model/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/postgres-probe.ts'],
          setupFiles: ['tests/support/fake-indexeddb-setup.ts', 'tests/support/test-audit-key.ts'],
          // Last, alone: it keeps a core busy for minutes, which would stretch the timing-bound
          // server and chaos tests (the reconnect burst's slow uploaders) if it ran beside them.
          sequence: { groupOrder: 2 },
          testTimeout: 600_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // Attacks from outside, each against the real server app (tests/security/README.md).
          name: 'security',
          env: TEST_KEK_ENV,
          include: ['tests/security/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/test-audit-key.ts'],
          globalSetup: ['tests/support/postgres-probe.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          ...BROWSER_SUITE,
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          exclude: ['tests/e2e/engine-*.test.ts'],
          // After the model (see maxWorkers above).
          sequence: { groupOrder: 3 },
        },
      },
      {
        test: {
          // WebKit and Gecko (tests/e2e/engine-*.test.ts), one at a time after the Chromium files:
          // beside them, one CI run saw WebKit's safety copy never finish (alone it takes seconds).
          ...BROWSER_SUITE,
          name: 'engines',
          include: ['tests/e2e/engine-*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 4 },
        },
      },
      {
        test: {
          // Phones, weak links and real server processes (SQLite, and two on PostgreSQL when one
          // answers) under injected faults and SIGKILLs; see tests/chaos/.
          name: 'chaos',
          env: TEST_KEK_ENV,
          include: ['tests/chaos/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/test-audit-key.ts'],
          globalSetup: ['tests/support/postgres-probe.ts'],
          fileParallelism: false,
          // After the other projects: they would compete for the 2 cores and stretch the runs.
          sequence: { groupOrder: 1 },
          testTimeout: 150_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
