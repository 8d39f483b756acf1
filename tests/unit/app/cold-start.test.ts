// The page's cold start (issue #16, bench:slow-phone): the entry module starts the officer state's
// read before React DOM is loaded, and that read costs IndexedDB no transaction of its own at start
// (it rides on the database's opening one); the state it finds is the one a later read finds.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { ulid } from '../../../core/ids.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { saveSession, type OfficerSession } from '../../../src/auth/session.ts';

/** The modules a file imports statically (not `import type`, not `import()`), and the packages. */
function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(resolve(import.meta.dirname, '../../..', entry));
  return { files, packages };
}

describe('cold start', () => {
  it('the entry module loads no React DOM: the officer state is read while it loads', () => {
    const { files, packages } = staticClosure('src/main.tsx');
    expect([...packages].filter((p) => p.startsWith('react-dom'))).toEqual([]);
    expect([...files].some((f) => f.endsWith('/src/auth/officer-store.ts'))).toBe(true);
    const main = readFileSync(resolve(import.meta.dirname, '../../../src/main.tsx'), 'utf8');
    expect(main).toMatch(/import\(['"]\.\/app\/start\.tsx['"]\)/);
  });

  it("the page's early IndexedDB warm-up (public/warm-db.js) opens the app's own database, and only that", async () => {
    const { DB_NAME } = await import('../../../src/db/schema.ts');
    const warm = readFileSync(resolve(import.meta.dirname, '../../../public/warm-db.js'), 'utf8');
    expect([...warm.matchAll(/indexedDB\.open\(([^)]*)\)/g)].map((m) => m[1])).toEqual([JSON.stringify(DB_NAME).replaceAll('"', "'")]);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it("at start the officer state is read with the PIN lock, in the database opening's one transaction, and matches a later read", async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.boolean(), fc.boolean(), async (loggedIn, practice, needsRelogin) => {
        vi.resetModules();
        const { DB_NAME } = await import('../../../src/db/schema.ts');
        await new JangkauDb(DB_NAME).delete();
        const seed = new JangkauDb(DB_NAME);
        await seed.open();
        const session: OfficerSession = {
          token: 'jkt_example-device-token-0123456789',
          deviceId: ulid(),
          account: { id: ulid(), username: 'pantarlih1', role: 'pantarlih', scope: '19.01.01.1001', displayName: 'Uji' },
          loggedInAt: Date.parse('2026-12-01T00:00:00Z'),
          ...(needsRelogin ? { needsRelogin: true } : {}),
        };
        if (loggedIn) await saveSession(seed, session);
        if (practice) await seed.meta.put({ key: 'practiceMode', value: true });
        seed.close();

        const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
        const store = await import('../../../src/auth/officer-store.ts');
        await store.readOfficerStateEarly();
        // Dexie's own look at the schema spans every store; the reads of rows are the meta ones.
        const metaReads = () => transaction.mock.calls.filter(([scope]) => String(scope) === 'meta').length;
        expect(metaReads()).toBe(1);
        const first = store.useOfficer.getState();
        expect(first).toMatchObject({ lock: loggedIn ? 'needs_pin' : 'none', practice });
        expect(first.session?.deviceId).toBe(loggedIn ? session.deviceId : undefined);
        // A later read (after a login or logout) reads afresh, and finds the same.
        await store.loadOfficerState();
        expect(metaReads()).toBe(2);
        expect(store.useOfficer.getState()).toEqual(first);
        transaction.mockRestore();
        const { db } = await import('../../../src/db/open-db.ts');
        db.close();
      }),
      { numRuns: 8 },
    );
  });
});
