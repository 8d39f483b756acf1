// A simulated phone for chaos tests: its own IndexedDB (fake-indexeddb, a unique database name),
// the real sync engine and the real API client, pointed at one or more base URLs (weak-link
// proxies in front of real server processes). Nothing here stands in for the code under test;
// it only files requests the way the form screen does and keeps calling sync the way the app's
// triggers do.
import 'fake-indexeddb/auto';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import type { FormData } from '../../core/forms/definition.ts';
import { ulid } from '../../core/ids.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { getDeviceIdentity, deviceAuth } from '../../src/db/device-identity.ts';
import { seedForms } from '../../src/db/forms-cache.ts';
import { countOutbox, submitDraft, type OutboxCounts } from '../../src/db/outbox.ts';
import { listReceipts } from '../../src/db/receipts.ts';
import { JangkauDb, type OutboxRow, type ReceiptRow } from '../../src/db/schema.ts';
import { createApiClient, type ApiClient } from '../../src/lib/api-client.ts';
import type { BackoffOptions } from '../../core/backoff.ts';
import { createSyncEngine, type SyncEngine, type SyncReason, type SyncReport } from '../../src/sync/engine.ts';
import { sampleAnswers } from './form-filler.ts';
import { createPrng } from './weak-link/prng.ts';

export interface SimDeviceOptions {
  /** A label for logs and payloads, e.g. "hp-3". */
  name: string;
  /**
   * Where the API is. An array makes the device go round-robin over them, one request each, as a
   * load balancer without stickiness would: a retry usually lands on another process.
   */
  baseUrl: string | readonly string[];
  /**
   * Whole-exchange client timeout. Short, so a stalled response is given up on within a test's
   * time budget (production uses 60 s for the 2G uplink).
   */
  timeoutMs?: number;
  /** Seeds the backoff jitter and the text of the filed requests. */
  seed?: number;
  /** Smaller than production so a backlog makes many requests, i.e. many chances for faults. */
  batchMaxBytes?: number;
  /** Production backs off from 2 s up to 5 min; tests need the same rule on a shorter scale. */
  backoff?: BackoffOptions;
}

export interface DrainResult {
  /** True when the outbox is empty (nothing queued, nothing waiting for a fix). */
  drained: boolean;
  /** Sync runs made by this call. */
  syncs: number;
  elapsedMs: number;
  counts: OutboxCounts;
  last: SyncReport | undefined;
}

export interface SimDeviceTotals {
  syncs: number;
  /** Requests the engine made (pushes, pull pages, forms), faulted ones included. */
  requests: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  unanswered: number;
  /** Sync runs that ended in each outcome. */
  outcomes: Record<string, number>;
}

export interface SimDevice {
  readonly name: string;
  readonly db: JangkauDb;
  readonly engine: SyncEngine;
  /** Every report this device's engine produced, oldest first. */
  readonly reports: readonly SyncReport[];
  deviceId(): Promise<string>;
  /** Files `n` valid PPID requests (about 1 KB each); returns the envelopes exactly as queued. */
  queue(n: number): Promise<SubmissionEnvelope[]>;
  /** One sync run, recorded in `reports`. */
  sync(reason: SyncReason): Promise<SyncReport>;
  /** Syncs again and again (waiting out the engine's backoff) until the outbox is empty. */
  syncUntilDrained(options: { deadlineMs: number; pollMs?: number }): Promise<DrainResult>;
  /** The envelopes still in the outbox (queued or needing a fix). */
  queuedEnvelopes(): Promise<SubmissionEnvelope[]>;
  outboxRows(): Promise<OutboxRow[]>;
  receipts(): Promise<ReceiptRow[]>;
  totals(): SimDeviceTotals;
  /** Closes the engine and deletes the database. */
  close(): Promise<void>;
}

export const TEST_BACKOFF: BackoffOptions = Object.freeze({ baseMs: 40, capMs: 600 });
const DEFAULT_TIMEOUT_MS = 3_000;
const DEFAULT_BATCH_MAX_BYTES = 16 * 1024;
/** The size the filed requests aim at: a "coklit-sized" record. */
const TARGET_ENVELOPE_BYTES = 1_000;

let instances = 0;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Words for the free-text answers: Indonesian, with a few non-ASCII characters so a byte-level
 * comparison also covers UTF-8 (including a character outside the BMP). */
const WORDS = [
  'salinan', 'daftar', 'pemilih', 'tetap', 'desa', 'kecamatan', 'pulau', 'Lepar', 'Pongok', 'Celagen',
  'Selat Nasik', 'Mendanau', 'Seliuk', 'Nepi', 'rekapitulasi', 'TPS', 'coklit', 'Pemilu 2024',
  'berita acara', 'formulir', 'dokumen', 'nelayan', 'dermaga', 'café', 'naïve', '“kutipan”', 'ño', '🏝️',
];

/** Valid PPID answers whose text names the device and item, so no two payloads are equal. */
function answersFor(deviceName: string, index: number, random: () => number): FormData {
  const data: FormData = { ...sampleAnswers(ppidPermohonanV1) };
  const pick = () => WORDS[Math.floor(random() * WORDS.length)] ?? 'data';
  const phrase = (n: number) => Array.from({ length: n }, pick).join(' ');
  data.nama = `Warga ${deviceName} nomor ${index}`;
  data.pekerjaan = index % 2 === 0 ? 'Nelayan' : 'Guru honorer';
  data.alamat = `Jl. Dermaga No. ${index + 1}, ${phrase(3)}`;
  data.tujuanPenggunaan = `Penelitian ${deviceName}/${index}: ${phrase(4)}`;
  // Filled up to the target size with seeded words, so sizes vary a little around 1 KB.
  let detail = `Permohonan ${deviceName} #${index}: ${phrase(8)}`;
  while (new TextEncoder().encode(detail).length < TARGET_ENVELOPE_BYTES - 520) detail += ` ${phrase(3)}`;
  data.rincianInformasi = detail;
  return data;
}

/** An API client that sends each call to the next base URL in turn. */
function roundRobin(clients: readonly ApiClient[]): ApiClient {
  let next = 0;
  const pick = (): ApiClient => {
    const client = clients[next % clients.length];
    next++;
    if (!client) throw new Error('roundRobin: no clients');
    return client;
  };
  return {
    push: (items, options) => pick().push(items, options),
    pullChanges: (since, options) => pick().pullChanges(since, options),
    getForms: (options) => pick().getForms(options),
    follow: (items, options) => pick().follow(items, options),
  };
}

export async function createSimDevice(options: SimDeviceOptions): Promise<SimDevice> {
  instances++;
  const name = options.name;
  const db = new JangkauDb(`sim-${name}-${instances}-${ulid()}`);
  await db.open();
  // A fresh install offers the forms bundled with the app before its first pull.
  await seedForms(db, PUBLISHED_FORMS);
  const random = createPrng(options.seed ?? instances);
  const textRandom = createPrng((options.seed ?? instances) ^ 0x5a5a5a5a);
  const urls = typeof options.baseUrl === 'string' ? [options.baseUrl] : [...options.baseUrl];
  const clients = urls.map((baseUrl) =>
    createApiClient({ baseUrl, getAuth: deviceAuth(db), timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS }),
  );
  const api = clients.length === 1 && clients[0] ? clients[0] : roundRobin(clients);
  const engine = createSyncEngine({
    db,
    api,
    // One engine per simulated phone, all in one Node process: no shared Web Lock, and no
    // BroadcastChannel (Node has one, and every phone would hear the others' state).
    locks: undefined,
    channel: null,
    random,
    backoff: options.backoff ?? TEST_BACKOFF,
    batchMaxBytes: options.batchMaxBytes ?? DEFAULT_BATCH_MAX_BYTES,
  });
  const reports: SyncReport[] = [];
  let filed = 0;

  async function sync(reason: SyncReason): Promise<SyncReport> {
    const report = await engine.sync(reason);
    reports.push(report);
    return report;
  }

  return {
    name,
    db,
    engine,
    reports,
    async deviceId() {
      return (await getDeviceIdentity(db)).deviceId;
    },
    async queue(n) {
      const envelopes: SubmissionEnvelope[] = [];
      for (let i = 0; i < n; i++) {
        const index = filed++;
        const at = Date.now();
        const id = ulid(at);
        const result = await submitDraft(db, ppidPermohonanV1, id, answersFor(name, index, textRandom), at);
        if (!result.ok) throw new Error(`${name}: the sample request was refused: ${JSON.stringify(result)}`);
        // Read back what was committed: the envelope the engine will send, secret included.
        const row = await db.outbox.get(id);
        if (!row) throw new Error(`${name}: ${id} is not in the outbox after submitDraft`);
        envelopes.push(row.envelope);
      }
      return envelopes;
    },
    sync,
    async syncUntilDrained({ deadlineMs, pollMs = 25 }) {
      const started = Date.now();
      const deadline = started + deadlineMs;
      let syncs = 0;
      let last: SyncReport | undefined;
      for (;;) {
        // The first run is an app start (it refreshes the forms); later ones are the backoff timer.
        last = await sync(syncs === 0 ? 'start' : 'timer');
        syncs++;
        const counts = await countOutbox(db);
        const done = counts.queued === 0 && counts.needsFix === 0;
        // Items needing a fix wait for a person; more syncs cannot change that.
        if (done || (counts.queued === 0 && counts.needsFix > 0) || Date.now() >= deadline) {
          return { drained: done, syncs, elapsedMs: Date.now() - started, counts, last };
        }
        // Honour the engine's backoff (short in tests); a run that ended well but left items
        // (queued during it) goes again after a short pause.
        const wait = last.nextAttemptAt !== undefined ? last.nextAttemptAt - Date.now() : pollMs;
        await sleep(Math.max(0, Math.min(wait, deadline - Date.now())));
      }
    },
    async queuedEnvelopes() {
      return (await db.outbox.toArray()).map((r) => r.envelope);
    },
    outboxRows: () => db.outbox.toArray(),
    receipts: () => listReceipts(db),
    totals() {
      const t: SimDeviceTotals = { syncs: 0, requests: 0, accepted: 0, duplicate: 0, rejected: 0, unanswered: 0, outcomes: {} };
      for (const r of reports) {
        t.syncs++;
        t.requests += r.requests;
        t.accepted += r.pushed.accepted;
        t.duplicate += r.pushed.duplicate;
        t.rejected += r.pushed.rejected;
        t.unanswered += r.pushed.unanswered;
        t.outcomes[r.outcome] = (t.outcomes[r.outcome] ?? 0) + 1;
      }
      return t;
    },
    async close() {
      engine.close();
      await db.delete();
    },
  };
}
