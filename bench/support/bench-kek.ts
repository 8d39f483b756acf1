// The keys every benchmark's servers need from outside their data (in-process apps, and child
// processes, which inherit the environment): a fixed bench-only key-encryption key and audit key,
// like the tests' (vitest.config.ts, tests/support/test-audit-key.ts), so a bench can open what its
// servers stored sealed, and no development key file is left beside each temporary data folder.
// Imported for its effect, before any server starts.
process.env.JANGKAU_KEK ??= Buffer.from('bench-only-kek-for-jangkau-bench').toString('base64');
process.env.JANGKAU_AUDIT_KEY ??= Buffer.from('bench-only-audit-key-for-jangkau').toString('base64');
