// A phone for the sync benchmark: the real device storage (Dexie on fake-indexeddb, which Node
// lacks natively), the real API client and the real sync engine, with N submissions filed through
// submitDraft exactly as the form screen files them.
import 'fake-indexeddb/auto';
import { gzipSync } from 'node:zlib';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import type { FormData } from '../../core/forms/definition.ts';
import { ulid } from '../../core/ids.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { deviceAuth } from '../../src/db/device-identity.ts';
import { seedForms } from '../../src/db/forms-cache.ts';
import { countOutbox, submitDraft } from '../../src/db/outbox.ts';
import { JangkauDb } from '../../src/db/schema.ts';
import { createApiClient, type ApiClient } from '../../src/lib/api-client.ts';
import { createSyncEngine, type SyncEngine } from '../../src/sync/engine.ts';
import type { UploadPhase } from '../../src/sync/upload-phase.ts';
import { PPID, seededUlid } from './ppid-payloads.ts';

export interface Device {
  db: JangkauDb;
  envelopes: SubmissionEnvelope[];
  /** The submissions' JSON (an array of the queued envelopes), gzip-compressed: the payload floor. */
  gzipBytes: number;
  /** The same JSON uncompressed. */
  jsonBytes: number;
  close(): Promise<void>;
}

/** A fresh device whose outbox holds one submission per answer set, filed `1 ms` apart. */
export async function deviceWithQueue(answers: readonly FormData[], rng: () => number, start = Date.parse('2026-11-20T01:00:00Z')): Promise<Device> {
  const db = new JangkauDb(`bench-${ulid()}`);
  await seedForms(db, PUBLISHED_FORMS);
  for (const [i, data] of answers.entries()) {
    const at = start + i;
    const result = await submitDraft(db, PPID, seededUlid(rng, at), data, at);
    if (!result.ok) throw new Error(`bench submission refused by the device: ${JSON.stringify(result)}`);
  }
  const envelopes = (await db.outbox.orderBy('queuedAt').toArray()).map((row) => row.envelope);
  const json = JSON.stringify(envelopes);
  return {
    db,
    envelopes,
    gzipBytes: gzipSync(json).length,
    jsonBytes: Buffer.byteLength(json),
    async close() {
      db.close();
      await db.delete();
    },
  };
}

export interface RouteTally {
  /** HTTP exchanges the client completed (body received). */
  responses: number;
  /** Response bodies as sent (the server does not compress them today). */
  bodyBytes: number;
  /** What the same bodies would weigh gzip-compressed, one by one. */
  bodyGzipBytes: number;
}

/** Totals, and the same per API route ('push', 'changes', 'forms'). */
export interface ResponseTally extends RouteTally {
  byRoute: Map<string, RouteTally>;
}

/**
 * A fetch that notes each response body's size and what it would be gzip-compressed, so the
 * benchmark can say what compressing the server's answers would save on the downlink. The body is
 * read here and handed on unchanged.
 */
export function tallyingFetch(tally: ResponseTally): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const route = url.pathname.split('/').pop() ?? '';
    const response = await fetch(input, init);
    const body = new Uint8Array(await response.arrayBuffer());
    const gz = body.length > 0 ? gzipSync(body).length : 0;
    const perRoute = tally.byRoute.get(route) ?? { responses: 0, bodyBytes: 0, bodyGzipBytes: 0 };
    tally.byRoute.set(route, perRoute);
    for (const t of [tally, perRoute]) {
      t.responses++;
      t.bodyBytes += body.length;
      t.bodyGzipBytes += gz;
    }
    // A Response for 204/304 must have a null body, or the constructor throws.
    const nullBody = response.status === 204 || response.status === 304;
    return new Response(nullBody ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export function newTally(): ResponseTally {
  return { responses: 0, bodyBytes: 0, bodyGzipBytes: 0, byRoute: new Map() };
}

export interface DeviceEngine {
  engine: SyncEngine;
  api: ApiClient;
}

export interface EngineOptions {
  batchMaxBytes?: number;
  random?: () => number;
  /** The engine's clock; a bench may run it ahead of the wall clock (sync-windows.ts, the hour). */
  now?: () => number;
  /** The engine's upload phase, built with the API client (its link estimate spaces the files). */
  uploads?: (api: ApiClient) => UploadPhase;
}

/** The engine as the page wires it, minus the Web Lock and BroadcastChannel (one context here). */
export function engineWith(device: Device, api: ApiClient, options: EngineOptions): SyncEngine {
  return createSyncEngine({
    db: device.db,
    api,
    locks: undefined,
    channel: null,
    ...(options.random ? { random: options.random } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.batchMaxBytes !== undefined ? { batchMaxBytes: options.batchMaxBytes } : {}),
    ...(options.uploads ? { uploads: options.uploads(api) } : {}),
  });
}

export function engineFor(device: Device, baseUrl: string, options: EngineOptions & { fetch?: typeof fetch }): DeviceEngine {
  const api = createApiClient({ baseUrl, getAuth: deviceAuth(device.db), ...(options.fetch ? { fetch: options.fetch } : {}) });
  return { engine: engineWith(device, api, options), api };
}

export async function queuedCount(device: Device): Promise<number> {
  return (await countOutbox(device.db)).queued;
}
