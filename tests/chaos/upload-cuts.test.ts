// Issue 5, "Done when" 1: a 2 MB attachment uploaded through the weak-link proxy while the link
// is cut three times mid-upload. The upload must complete, the payload bytes sent must stay within
// the file plus one chunk per cut (so nothing is resent from zero), and the server must hold the
// file byte for byte.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open.ts';
import { uploadFile, type UploadResult } from '../../src/lib/tus-client.ts';
import { newDevice } from '../server/helpers.ts';
import { complaintWithPhoto } from '../server/upload-fixtures.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { storedFile } from '../support/test-kek.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';
import type { WeakLinkProfile } from '../support/weak-link/profiles.ts';

const FILE_BYTES = 2 * 1024 * 1024;
const CHUNK_BYTES = 256 * 1024;
const CUTS_AT = [0.3, 0.55, 0.8];
// Fast enough for a short test, slow enough that a cut lands inside a chunk.
const LINK: WeakLinkProfile = { name: 'upload-test', rttMs: 50, downBps: 4_000_000, upBps: 3_000_000 };

let server: ServerProcess;
let proxy: WeakLinkProxy;

beforeAll(async () => {
  server = await startServerProcess();
  proxy = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port }, profile: LINK });
});
afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

it('resumes a 2 MB upload after three cuts, sending at most the file plus one chunk per cut', async () => {
  const device = newDevice();
  const bytes = randomBytes(FILE_BYTES);
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // Data first: the pushed submission names the file, which its upload then needs.
  const pushed = await fetch(`${server.url}/api/v1/push`, {
    method: 'POST',
    headers: { authorization: device.authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ items: [complaintWithPhoto({ sha256, type: 'image/jpeg', size: FILE_BYTES })] }),
  });
  expect(pushed.status).toBe(200);
  expect(((await pushed.json()) as { results: { outcome: string }[] }).results[0]?.outcome).toBe('accepted');

  const file = {
    baseUrl: `${proxy.url}/api/v1/uploads`,
    getAuth: () => device.authorization,
    blob: new Blob([bytes], { type: 'image/jpeg' }),
    sha256,
    type: 'image/jpeg',
    fetch: globalThis.fetch,
  };

  // Cut the link when the upstream bytes pass each mark, and bring it back shortly after.
  let cuts = 0;
  let watching = true;
  const watcher = (async () => {
    while (watching && cuts < CUTS_AT.length) {
      const mark = (CUTS_AT[cuts] ?? 1) * FILE_BYTES;
      if (proxy.stats().bytesUp >= mark) {
        proxy.setOnline(false);
        cuts += 1;
        await sleep(400);
        proxy.setOnline(true);
      }
      await sleep(10);
    }
  })();

  const started = Date.now();
  let uploadUrl: string | undefined;
  let payloadSent = 0;
  let calls = 0;
  let result: UploadResult;
  for (;;) {
    calls += 1;
    result = await uploadFile({
      ...file,
      chunkBytes: CHUNK_BYTES,
      uploadUrl,
      onUploadUrl: (url) => (uploadUrl = url),
      requestTimeoutMs: 10_000,
    });
    payloadSent += result.bytesSent;
    if (result.kind !== 'offline' || calls > 50) break;
    // The device would wait for its next trigger (online, backoff); here a short pause.
    await sleep(200);
  }
  watching = false;
  await watcher;
  const elapsed = Date.now() - started;
  const stats = proxy.stats();
  const bound = FILE_BYTES + cuts * CHUNK_BYTES;

  console.log(
    `[upload-cuts] file ${FILE_BYTES} B, chunk ${CHUNK_BYTES} B, cuts ${cuts}, uploadFile calls ${calls}; ` +
      `payload sent ${payloadSent} B (${((payloadSent / FILE_BYTES) * 100).toFixed(1)}% of the file; bound ${bound} B); ` +
      `proxy bytesUp ${stats.bytesUp} B (heads included), requests ${stats.requests}, resets ${stats.resets}; ${elapsed} ms`,
  );

  expect(result.kind).toBe('done');
  expect(cuts).toBe(3);
  expect(stats.resets).toBeGreaterThanOrEqual(3);
  expect(payloadSent).toBeLessThanOrEqual(bound);
  // Wire bytes agree: heads are small next to the payload, so the link carried no second copy.
  expect(stats.bytesUp).toBeLessThanOrEqual(bound + stats.requests * 1_024);
  // Stored sealed (encryption at rest); opened with the test KEK, it is the file sent.
  const opened = await openDatabase({ dataDir: server.dataDir });
  try {
    const stored = await storedFile(opened.db, join(server.dataDir, 'uploads'), sha256);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(sha256);
  } finally {
    await opened.close();
  }

  // Content addressing: the same bytes again, from a phone that knows it started them, cost one
  // POST and no payload (src/sync/upload-phase.ts passes startedBefore for a file it began).
  const again = await uploadFile({ ...file, startedBefore: true });
  expect(again).toMatchObject({ kind: 'done', bytesSent: 0 });
});
