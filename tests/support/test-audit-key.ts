// The audit chain's HMAC key for test runs (server/crypto/audit-key.ts), a fixed one so the
// server and CLI processes a test starts (they inherit the environment) key the chain alike.
process.env.JANGKAU_AUDIT_KEY ??= Buffer.alloc(32, 7).toString('base64');
