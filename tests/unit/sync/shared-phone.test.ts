// Defect 10 (issue #11): a phone shared by a resident and an officer. Each queued request is pushed,
// and its photos uploaded, under the identity that filed it: a resident's request under the phone's
// own credential (whoever is logged in), an officer's form under the officer's token. So the server
// follows a resident's request for the phone's own credential, and its answers keep coming after
// the officer logged out. And the PIN an officer leaves on the phone holds only the officer's rows:
// a resident's request goes without waiting for an officer to log in again.
//
// The engine is the app's own (src/sync/device-engine.ts) on the app's database; the link is a
// fake provincial API (fake-server.ts), which knows credentials as device ids: the officer's token
// stands for a device id of its own, as the real server files an officer's pushes under the token's
// device id.
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { randomSecret, ulid } from '../../../core/ids.ts';
import { deviceAuthorization, parseDeviceAuthorization } from '../../../core/protocol.ts';
import { findForm, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import type { FormData } from '../../../core/forms/definition.ts';
import { holdOfficerRowsUntilLogin } from '../../../src/auth/send-gate.ts';
import { clearSession, saveSession, type OfficerSession } from '../../../src/auth/session.ts';
import { storeAttachment } from '../../../src/db/attachments.ts';
import { getDeviceIdentity } from '../../../src/db/device-identity.ts';
import { seedForms } from '../../../src/db/forms-cache.ts';
import { db } from '../../../src/db/open-db.ts';
import { getOutboxRow, submitDraft } from '../../../src/db/outbox.ts';
import { getReceipt } from '../../../src/db/receipts.ts';
import { createDeviceSyncEngine } from '../../../src/sync/device-engine.ts';
import type { SyncEngine } from '../../../src/sync/engine.ts';
import { sampleAnswers } from '../../support/form-filler.ts';
import { fakeJpeg } from '../attachments/fixtures.ts';
import { PPID, validPpid } from '../db/test-db.ts';
import { FakeServer } from './fake-server.ts';

const ORIGIN = 'http://kpu.test';
const PENGADUAN = findForm(PUBLISHED_FORMS, 'pengaduan', 1)!;
const COKLIT = findForm(PUBLISHED_FORMS, 'coklit-pilkada', 1)!;

/** The device id the fake server files the officer's token under. */
const OFFICER_DEVICE = ulid();
const OFFICER_AS_DEVICE = deviceAuthorization(OFFICER_DEVICE, randomSecret());
const SESSION: OfficerSession = {
  token: 'jkt_shared-phone-token-0123456789',
  deviceId: OFFICER_DEVICE,
  account: { id: ulid(), username: 'pantarlih1', role: 'pantarlih', scope: '19.01.01.1001', displayName: 'Uji' },
  loggedInAt: Date.parse('2026-12-01T00:00:00Z'),
};

let server: FakeServer;
/** The credential each file's first upload request carried, by sha256. */
let uploadsAs: Map<string, string>;
let engine: SyncEngine;

/** The provincial API as the phone reaches it: the officer's token read as its device id; uploads recorded and refused for now. */
function link(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const auth = request.headers.get('authorization') ?? '';
  if (new URL(request.url).pathname.includes('/uploads')) {
    const sha = /sha256 ([^,]+)/.exec(request.headers.get('upload-metadata') ?? '')?.[1];
    const sha256 = sha ? Buffer.from(sha, 'base64').toString('utf8') : '?';
    if (!uploadsAs.has(sha256)) uploadsAs.set(sha256, auth);
    return Promise.resolve(new Response(JSON.stringify({ error: 'not_referenced' }), { status: 403 }));
  }
  const headers = new Headers(request.headers);
  if (auth === `Bearer ${SESSION.token}`) headers.set('authorization', OFFICER_AS_DEVICE);
  return server.fetch(new Request(request, { headers }));
}

beforeAll(() => {
  vi.stubGlobal('fetch', link);
});
afterAll(() => {
  vi.unstubAllGlobals();
});
afterEach(async () => {
  engine?.close();
  holdOfficerRowsUntilLogin(false);
  await db.delete();
  await db.open();
});

async function newPhone(): Promise<void> {
  server = new FakeServer();
  uploadsAs = new Map();
  await seedForms(db, PUBLISHED_FORMS);
  engine = createDeviceSyncEngine(ORIGIN, undefined);
}

/** A photo chosen on the phone, as a form's answer names it. */
async function choosePhoto(seed: number, at: number): Promise<{ sha256: string; type: string; size: number }> {
  const photo = await fakeJpeg(seed, 3000 + seed);
  expect((await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, at)).ok).toBe(true);
  return { sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size };
}

/** A resident's complaint with a photo; its id and the photo's sha256. */
async function fileComplaint(at: number): Promise<{ id: string; sha256: string }> {
  const data: FormData = { ...sampleAnswers(PENGADUAN), jenis: 'pengaduan', isi: 'Kotak suara di TPS 03 belum datang.' };
  const photo = await choosePhoto(1, at);
  data.bukti = photo;
  const id = ulid(at);
  const filed = await submitDraft(db, PENGADUAN, id, data, at);
  expect(filed.ok, JSON.stringify(filed)).toBe(true);
  return { id, sha256: photo.sha256 };
}

/** An officer's coklit entry; its id and the sha256 of its photos. */
async function fileCoklit(at: number): Promise<{ id: string; photos: string[] }> {
  const data: FormData = { ...sampleAnswers(COKLIT), desa: SESSION.account.scope };
  const photos: string[] = [];
  for (const f of COKLIT.fields) {
    if (f.type === 'document') delete data[f.name];
    if (f.type !== 'photo' || data[f.name] === undefined) continue;
    const photo = await choosePhoto(10 + photos.length, at);
    data[f.name] = photo;
    photos.push(photo.sha256);
  }
  const id = ulid(at);
  const filed = await submitDraft(db, COKLIT, id, data, at);
  expect(filed.ok, JSON.stringify(filed)).toBe(true);
  return { id, photos };
}

async function ownDevice(): Promise<string> {
  return (await getDeviceIdentity(db)).deviceId;
}

it("sends a resident's request, and its photo, under the phone's own credential while an officer is logged in; its answers come after the logout", async () => {
  await newPhone();
  await saveSession(db, SESSION);
  const t = Date.parse('2026-12-01T02:00:00Z');
  const complaint = await fileComplaint(t);
  const coklit = await fileCoklit(t + 1);

  await engine.sync('manual');
  const own = await ownDevice();
  expect(server.submissions.get(complaint.id)?.deviceId, "the resident's request went under the officer's token").toBe(own);
  expect(server.submissions.get(coklit.id)?.deviceId, "the officer's form went under the phone's own credential").toBe(OFFICER_DEVICE);
  // Each photo goes as its request went: the resident's under the phone's own credential, the officer's under the token.
  const sentAs = parseDeviceAuthorization(uploadsAs.get(complaint.sha256));
  expect(sentAs?.deviceId, `the resident's photo went as ${uploadsAs.get(complaint.sha256) ?? 'nothing'}`).toBe(own);
  for (const sha of coklit.photos) expect(uploadsAs.get(sha), "the officer's photo").toBe(`Bearer ${SESSION.token}`);

  await clearSession(db);
  server.setStatus(complaint.id, 'selesai', 'Kotak suara sudah dikirim.');
  await engine.sync('manual');
  expect(await getReceipt(db, complaint.id)).toMatchObject({ status: 'selesai', answer: 'Kotak suara sudah dikirim.' });
});

it("holds only the officer's rows while a PIN waits for an officer's login; a resident's request goes", async () => {
  await newPhone();
  await saveSession(db, SESSION);
  const t = Date.parse('2026-12-01T02:00:00Z');
  const coklit = await fileCoklit(t);
  await clearSession(db);
  // As src/auth/officer-store.ts does on a phone with a PIN and no officer logged in.
  holdOfficerRowsUntilLogin(true);
  const resident = ulid(t + 1);
  expect((await submitDraft(db, PPID, resident, validPpid(), t + 1)).ok).toBe(true);

  const report = await engine.sync('manual');
  expect(report.outcome).toBe('ok');
  expect(server.submissions.get(resident)?.deviceId, "the resident's request waited for the officer's PIN").toBe(await ownDevice());
  expect(server.pushedIds()).not.toContain(coklit.id);
  expect((await getOutboxRow(db, coklit.id))?.state).toBe('queued');

  // The officer logs in again: the held row goes under the token.
  holdOfficerRowsUntilLogin(false);
  await saveSession(db, SESSION);
  await engine.sync('manual');
  expect(server.submissions.get(coklit.id)?.deviceId).toBe(OFFICER_DEVICE);
});
