// Delivering carried QR hand-offs: after a sync of the officer's phone, the sealed bundles it
// scanned go to POST /api/v1/handoff with the phone's credential (the officer's Bearer token when
// logged in, else the device's own; the route wants a device the server knows). The server opens
// and ingests each under its original id, exactly once whoever delivers first; accepted and
// duplicate both mean "the province has it", so the item is marked delivered. A refused bundle is
// kept as refused (the officer can ask the resident to show the codes again).
import { API_PREFIX, type ItemResult } from '../../core/protocol.ts';
import { markCarried, pendingCarried } from '../db/handoffs.ts';
import type { JangkauDb } from '../db/schema.ts';
import { isPushResponse } from '../lib/api-client.ts';

/** The route takes at most this many bundles per call (server/routes/handoff.ts). */
export const HANDOFF_BATCH = 50;

export interface HandoffPhaseOptions {
  db: JangkauDb;
  /** The API origin, e.g. https://jangkau.example (no trailing path). */
  baseUrl: string;
  getAuth: () => Promise<string>;
  fetch?: typeof fetch;
  now?: () => number;
}

export type HandoffPhaseResult =
  | { kind: 'ok'; delivered: number; refused: number }
  | { kind: 'failed'; delivered: number; refused: number; error: string };

export async function deliverCarried(options: HandoffPhaseOptions): Promise<HandoffPhaseResult> {
  const { db } = options;
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const pending = await pendingCarried(db);
  let delivered = 0;
  let refused = 0;
  for (let start = 0; start < pending.length; start += HANDOFF_BATCH) {
    const batch = pending.slice(start, start + HANDOFF_BATCH);
    let results: ItemResult[];
    try {
      const response = await fetchFn(`${options.baseUrl.replace(/\/$/, '')}${API_PREFIX}/handoff`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await options.getAuth() },
        body: JSON.stringify({ bundles: batch.map((item) => item.bundle) }),
      });
      if (!response.ok) return { kind: 'failed', delivered, refused, error: `status ${response.status}` };
      const body: unknown = await response.json();
      if (!isPushResponse(body) || body.results.length !== batch.length) return { kind: 'failed', delivered, refused, error: 'bad answer' };
      results = body.results;
    } catch (error) {
      return { kind: 'failed', delivered, refused, error: error instanceof Error ? error.name : 'offline' };
    }
    // Results come in the order of the bundles sent.
    const outcomes = batch.map((item, i) => {
      const result = results[i]!;
      const ok = result.outcome === 'accepted' || result.outcome === 'duplicate';
      return ok ? { id: item.id, delivered: true } : { id: item.id, delivered: false, reason: result.reason ?? 'refused' };
    });
    await markCarried(db, outcomes, now());
    delivered += outcomes.filter((o) => o.delivered).length;
    refused += outcomes.filter((o) => !o.delivered).length;
  }
  return { kind: 'ok', delivered, refused };
}
