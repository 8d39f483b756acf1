// Every temp dir, child process, proxy and schema a benchmark makes is registered here, so it goes
// at the end of the run and also on Ctrl-C.
const cleanups = new Set<() => Promise<void>>();

/** Registers `fn`; the returned function runs it once, now, and unregisters it. */
export function onCleanup(fn: () => Promise<void>): () => Promise<void> {
  const once = async () => {
    if (!cleanups.delete(once)) return;
    await fn().catch((err: unknown) => console.error('clean-up failed:', err));
  };
  cleanups.add(once);
  return once;
}

/** Runs what is still registered, newest first. */
export async function cleanupAll(): Promise<void> {
  for (const fn of [...cleanups].reverse()) await fn();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanupAll().then(() => process.exit(130));
  });
}
