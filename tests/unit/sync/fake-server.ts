// A small in-memory provincial API implementing the push/pull/forms contract, reached through a
// `fetch` function so the engine's tests run through the real API client. It keeps one copy per
// submission id (duplicates answered with the original acknowledgement), validates every item
// with the same validator as the real server, and logs status changes, pulled by the devices linked
// to each submission (the pusher; a device repeating it with its secret; POST /follow). Like the
// real server, a pull does not make a device known; a push or a follow does. Faults can be
// scheduled: no connection, a response lost after the server applied the push, an HTTP status,
// or a garbled body.
import { Value } from 'typebox/value';
import { canonicalJson } from '../../../core/hash.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { findForm, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { formsTagOf } from '../../../core/forms/forms-tag.ts';
import { sopItem } from '../../../core/forms/held-versions.ts';
import type { SopDoc } from '../../../core/forms/sop.ts';
import { validateForm } from '../../../core/forms/validate.ts';
import { API_PREFIX, HELD_VERSIONS_HEADER, parseDeviceAuthorization, type Change, type ItemResult, type PullResponse, type PushResponse, type ServerStatus, type SubmissionEnvelope } from '../../../core/protocol.ts';
import { SubmissionEnvelopeSchema } from '../../../core/protocol-schemas.ts';

export type Fault =
  /** The request never reaches the server. */
  | { kind: 'offline' }
  /** The server applies the request, then the connection drops before the answer arrives. */
  | { kind: 'lost-response' }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'garbled' };

export type Route = 'push' | 'changes' | 'forms' | 'follow' | 'health';

/** A request the device made, whether or not it then reached the server. */
export interface LoggedRequest {
  route: Route;
  /** Item ids of a push. */
  items: string[];
  gzip: boolean;
  /** Body bytes as they travelled (compressed when gzip). */
  wireBytes: number;
}

interface Stored {
  envelope: SubmissionEnvelope;
  deviceId: string;
  receivedAt: string;
  payload: string;
}

type LoggedChange = Change;

export class FakeServer {
  readonly submissions = new Map<string, Stored>();
  readonly requests: LoggedRequest[] = [];
  readonly forms: FormDef[];
  retired: { formId: string; version: number }[] = [];
  /** The current SOP documents, served with the forms. */
  sops: SopDoc[] = [];
  /** The held-versions header of each pull, in order (undefined: none sent). */
  readonly heldReports: (string | undefined)[] = [];
  private readonly devices = new Map<string, string>();
  /** Who may pull each submission's changes: submission id → device ids. */
  private readonly links = new Map<string, Set<string>>();
  private readonly changes: LoggedChange[] = [];
  private readonly faults: { route: Route | undefined; fault: Fault }[] = [];
  private seq = 0;
  private clock = Date.parse('2026-12-01T08:00:00.000Z');
  /** No link at all: every request fails as a refused connection does, and is logged. */
  down = false;
  /** Called before each request is handled; lets a test hold requests to make runs overlap. */
  gate: (route: Route) => Promise<void> = async () => undefined;

  constructor(forms: readonly FormDef[] = PUBLISHED_FORMS) {
    this.forms = [...forms];
  }

  /** Schedules a fault for the next request (to `route`, or to any route). */
  fail(fault: Fault, route?: Route): this {
    this.faults.push({ route, fault });
    return this;
  }

  /** An officer moves a request along; the device sees it on its next pull. */
  setStatus(id: string, status: ServerStatus, answer?: string): void {
    const stored = this.submissions.get(id);
    if (!stored) throw new Error(`no submission ${id}`);
    this.changes.push({ seq: ++this.seq, submissionId: id, status, at: this.tick(), ...(answer ? { answer } : {}) });
  }

  /**
   * The server restored from an older backup in which this device id is bound to another secret:
   * every request with the device's own secret is refused with 401 from now on.
   */
  forgetDevice(deviceId: string): void {
    this.devices.set(deviceId, 'a-secret-from-before-the-restore');
  }

  /** The server lost this device's row altogether (not bound to another secret): it is unknown again. */
  forgetRegistration(deviceId: string): void {
    this.devices.delete(deviceId);
  }

  /** Device ids that pushed or followed, in the order the server first saw them. */
  knownDevices(): string[] {
    return [...this.devices.keys()];
  }

  /** Ids of pushed items, counting every time an id travelled. */
  pushedIds(): string[] {
    return this.requests.filter((r) => r.route === 'push').flatMap((r) => r.items);
  }

  /** Computed as the real server computes it (core/forms/forms-tag.ts), over what GET /forms lists. */
  formsTag(): string {
    const retired = new Set(this.retired.map((r) => `${r.formId}@${r.version}`));
    const listed = this.forms.map((f) => ({ formId: f.formId, version: f.version, retired: retired.has(`${f.formId}@${f.version}`) }));
    const unlisted = this.retired
      .filter((r) => !this.forms.some((f) => f.formId === r.formId && f.version === r.version))
      .map((r) => ({ ...r, retired: true }));
    const sops = this.sops.map((d) => ({ formId: sopItem(d.sopId), version: d.version, retired: false }));
    return formsTagOf([...listed, ...unlisted, ...sops]);
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const route = url.pathname.startsWith(`${API_PREFIX}/`) ? (url.pathname.slice(API_PREFIX.length + 1) as Route) : undefined;
    if (route !== 'push' && route !== 'changes' && route !== 'forms' && route !== 'follow' && route !== 'health') return json(404, { error: 'not_found', message: url.pathname });
    if (this.down) {
      this.requests.push({ route, items: [], gzip: false, wireBytes: 0 });
      throw new TypeError('fetch failed: connect ECONNREFUSED');
    }
    await this.gate(route);

    const raw = new Uint8Array(await request.arrayBuffer());
    const gzip = request.headers.get('content-encoding') === 'gzip';
    const text = route === 'push' || route === 'follow' ? new TextDecoder().decode(gzip ? await gunzip(raw) : raw) : '';
    const logged: LoggedRequest = { route, items: itemIds(text), gzip, wireBytes: raw.length };
    this.requests.push(logged);

    const index = this.faults.findIndex((f) => f.route === undefined || f.route === route);
    const fault = index >= 0 ? this.faults.splice(index, 1)[0]!.fault : undefined;
    if (fault?.kind === 'offline') throw new TypeError('fetch failed');
    if (fault?.kind === 'status') return json(fault.status, fault.body ?? { error: 'fault', message: 'scheduled' }, fault.headers);
    if (fault?.kind === 'garbled') return new Response('<html>captive portal</html>', { status: 200, headers: { 'content-type': 'text/html' } });

    const response = await this.handle(route, request, url, text);
    if (fault?.kind === 'lost-response') throw new TypeError('fetch failed: socket hang up');
    return response;
  };

  /** The device id, or undefined when refused; `register`: a push or follow makes an unknown device known. */
  private auth(request: Request, register: boolean): string | undefined {
    const parsed = parseDeviceAuthorization(request.headers.get('authorization') ?? undefined);
    if (!parsed) return undefined;
    const known = this.devices.get(parsed.deviceId);
    if (known === undefined && register) this.devices.set(parsed.deviceId, parsed.secret);
    else if (known !== undefined && known !== parsed.secret) return undefined;
    return parsed.deviceId;
  }

  /** Links a device to a submission; a new link restates its current status, as the real server does. */
  private link(id: string, deviceId: string): void {
    const linked = this.links.get(id) ?? new Set<string>();
    this.links.set(id, linked);
    if (linked.has(deviceId)) return;
    const isNew = linked.size === 0;
    linked.add(deviceId);
    if (isNew) return;
    const last = this.changes.findLast((c) => c.submissionId === id);
    if (last) this.changes.push({ ...last, seq: ++this.seq });
  }

  /** Whether a push or follow made this device known (the real uploads route refuses others). */
  isKnownDevice(deviceId: string): boolean {
    return this.devices.has(deviceId);
  }

  private async handle(route: Route, request: Request, url: URL, text: string): Promise<Response> {
    if (route === 'health') return new Response(null, { status: 200 });
    if (route === 'forms') return json(200, { forms: this.forms, retired: this.retired, sops: this.sops });
    const deviceId = this.auth(request, route === 'push');
    if (!deviceId) return json(401, { error: 'unauthorized', message: 'device' });

    if (route === 'follow') {
      const items = (JSON.parse(text) as { items: { id: string; secret: string }[] }).items;
      const following = items.filter((i) => this.submissions.get(i.id)?.envelope.secret === i.secret).map((i) => i.id);
      // Like the real server: proving something registers the device, proving nothing does not.
      if (following.length > 0) this.auth(request, true);
      for (const id of following) this.link(id, deviceId);
      return json(200, { following });
    }

    if (route === 'changes') {
      this.heldReports.push(request.headers.get(HELD_VERSIONS_HEADER) ?? undefined);
      const since = Number(url.searchParams.get('since') ?? '0');
      const limit = Number(url.searchParams.get('limit') ?? '100');
      // Like the real server: "diterima" is never sent (the push answer said it), and the cursor
      // moves past those rows too.
      const all = this.devices.has(deviceId) ? this.changes.filter((c) => this.links.get(c.submissionId)?.has(deviceId) && c.seq > since) : [];
      const mine = all.filter((c) => c.status !== 'diterima');
      const page = mine.slice(0, limit);
      const more = mine.length > page.length;
      const body: PullResponse = {
        changes: page,
        cursor: String((more ? page.at(-1)?.seq : all.at(-1)?.seq) ?? since),
        more,
        formsTag: this.formsTag(),
      };
      return json(200, body);
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(400, { error: 'bad_request', message: 'json' });
    }
    const items = (body as { items?: unknown }).items;
    if (!Array.isArray(items) || items.length === 0) return json(400, { error: 'bad_request', message: 'items' });
    const results = items.map((item, i) => this.accept(item, i, deviceId));
    const answer: PushResponse = { results, serverTime: this.tick() };
    return json(200, answer);
  }

  private accept(item: unknown, position: number, deviceId: string): ItemResult {
    const id = typeof (item as { id?: unknown })?.id === 'string' ? (item as { id: string }).id : String(position);
    if (!Value.Check(SubmissionEnvelopeSchema, item)) return { id, outcome: 'rejected', reason: 'invalid_envelope', errors: [] };
    const envelope = item as SubmissionEnvelope;
    const payload = canonicalJson(envelope);
    const stored = this.submissions.get(envelope.id);
    if (stored) {
      if (stored.payload === payload) {
        // The same secret is part of the same payload here: the device may follow it.
        this.link(envelope.id, deviceId);
        return { id, outcome: 'duplicate', receivedAt: stored.receivedAt };
      }
      return { id, outcome: 'rejected', reason: 'id_conflict', errors: [] };
    }
    const form = findForm(this.forms, envelope.formId, envelope.formVersion);
    if (!form) return { id, outcome: 'rejected', reason: 'unknown_form', errors: [] };
    const verdict = validateForm(form, envelope.data);
    if (verdict.errors.length > 0) return { id, outcome: 'rejected', reason: 'invalid_data', errors: verdict.errors };
    const receivedAt = this.tick();
    this.submissions.set(envelope.id, { envelope, deviceId, receivedAt, payload });
    this.changes.push({ seq: ++this.seq, submissionId: envelope.id, status: 'diterima', at: receivedAt });
    this.link(envelope.id, deviceId);
    return { id, outcome: 'accepted', receivedAt };
  }
}

/** Ids of the items in a push body, for the request log (whatever then happens to the request). */
function itemIds(text: string): string[] {
  try {
    const items = (JSON.parse(text) as { items?: unknown }).items;
    return Array.isArray(items) ? items.map((item: { id?: unknown }, i) => (typeof item?.id === 'string' ? item.id : String(i))) : [];
  } catch {
    return [];
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
