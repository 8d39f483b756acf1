// The authorisation matrix: every endpoint × every role × (own region, other region, revoked
// token), plus no credentials, a resident's device, and officers' tokens in every state (active,
// revoked, expired, account disabled, password changed) sent as Bearer and as a `Device`
// credential (`Device <tokenId>.<token>`), each with the answer it must get. The
// expected cells come from one literal table below (written from DOMAIN.md and docs/security.md,
// not from the code's own permission table), so a wrong permission in the code shows as a cell.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { ROLES, type Role } from '../../core/auth/roles.ts';
import { deviceAuthorization, type SubmissionEnvelope } from '../../core/protocol.ts';
import { describeEachDialect, envelope, newDevice, pushOk, validPpidData, type TestApp, type TestDevice } from './helpers.ts';
import { bearer, coklit, formEnvelope, login, officer, PASSWORD, pushAs, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';

/** Where each role's "own" and "other" account sits; every own scope covers REGION.village. */
const SCOPES: Readonly<Record<Role, { own: string; other?: string }>> = {
  admin_provinsi: { own: REGION.province }, // one province: there is no "other region" for it
  operator: { own: REGION.regency, other: REGION.otherRegency },
  pengamat: { own: REGION.regency, other: REGION.otherRegency },
  ppk: { own: REGION.district, other: REGION.otherDistrict },
  pps: { own: REGION.village, other: REGION.siblingVillage },
  pantarlih: { own: REGION.village, other: REGION.siblingVillage },
  kpps: { own: REGION.village, other: REGION.siblingVillage },
};

type Relation = 'own' | 'other' | 'revoked';
type TokenState = 'active' | 'revoked' | 'expired' | 'disabled' | 'password_changed';
type Caller =
  | { kind: 'officer'; role: Role; relation: Relation }
  | { kind: 'none' }
  | { kind: 'device' }
  /** An officer's token in `state`, sent as `scheme`; Bearer active and revoked are the officer rows. */
  | { kind: 'token'; scheme: 'bearer' | 'device'; role: Role; state: TokenState };

/** The roles whose tokens are tried in every state: a field officer's phone and the province admin's. */
const TOKEN_ROLES: readonly Role[] = ['pantarlih', 'admin_provinsi'];
const TOKEN_STATES: readonly TokenState[] = ['active', 'revoked', 'expired', 'disabled', 'password_changed'];

/**
 * How an endpoint treats callers:
 * - public: anyone, with or without credentials (a revoked token is still refused: 401);
 * - device: any valid device credentials, a resident's or an officer's;
 * - officer: any valid officer token;
 * - roles: only these roles; `outside` is what a permitted role gets for a target outside its
 *   scope ('hidden' = 200 without the target, 'forbidden' = pushed item rejected, or a status).
 */
type Access =
  | { who: 'public'; status: number }
  | { who: 'device'; status: number }
  | { who: 'officer'; status: number }
  | { who: 'roles'; roles: readonly Role[]; status: number; outside: number | 'hidden' | 'forbidden' | 'same'; denied?: number | 'forbidden' };

interface Endpoint {
  name: string;
  access: Access;
  call(t: TestApp, headers: Record<string, string>, who: Caller): Promise<LightMyRequestResponse>;
  /** Refines a 200 into 'visible'/'hidden' or 'accepted'/'forbidden' where the body decides. */
  outcome?(res: LightMyRequestResponse): string;
}

const ANSWERING: readonly Role[] = ['admin_provinsi', 'operator'];
const READING: readonly Role[] = ['admin_provinsi', 'operator', 'ppk', 'pps'];
const LISTING: readonly Role[] = ['admin_provinsi', 'operator', 'ppk', 'pps', 'pengamat'];
const FIELD: readonly Role[] = ['admin_provinsi', 'operator', 'ppk', 'pps', 'pantarlih', 'kpps'];
const MANAGING: readonly Role[] = ['admin_provinsi', 'operator'];

interface Fixtures {
  officers: Map<string, TestOfficer>;
  /** A coklit record in REGION.village. */
  record: SubmissionEnvelope;
  /** A pantarlih of REGION.village whose devices are listed. */
  fieldOfficer: TestOfficer;
  resident: TestDevice;
  /** `${role}/${state}`: officers whose one token is in that state. */
  tokens: Map<string, TestOfficer>;
}

let fx: Fixtures | undefined;
const fixtures = (): Fixtures => {
  if (!fx) throw new Error('fixtures not ready');
  return fx;
};

function pushedItemOutcome(res: LightMyRequestResponse): string {
  const r = res.json<{ results: { outcome: string; reason?: string }[] }>().results[0];
  return r?.outcome === 'accepted' ? 'accepted' : (r?.reason ?? 'none');
}

async function freshPublicRequest(app: FastifyInstance, data: SubmissionEnvelope): Promise<string> {
  await pushOk(app, newDevice(), [data]);
  return data.id;
}

/** The data subject the matrix's subject requests concern. */
const SUBJECT_NIK = '1901024501900001';

/** A data subject's request to the regency office, recorded by the province admin. */
async function subjectRequest(t: TestApp, kind: 'access' | 'correction' | 'erasure'): Promise<string> {
  const admin = fixtures().officers.get('admin_provinsi/own');
  if (!admin) throw new Error('no admin');
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/subject-requests', headers: bearer(admin.token), payload: { kind, nik: SUBJECT_NIK, regionCode: REGION.regency } });
  return res.json<{ id: string }>().id;
}

const ENDPOINTS: readonly Endpoint[] = [
  { name: 'GET /health', access: { who: 'public', status: 200 }, call: (t, h) => t.app.inject({ url: '/api/v1/health', headers: h }) },
  { name: 'GET /forms', access: { who: 'public', status: 200 }, call: (t, h) => t.app.inject({ url: '/api/v1/forms', headers: h }) },
  { name: 'GET /openapi.json', access: { who: 'public', status: 200 }, call: (t, h) => t.app.inject({ url: '/api/v1/openapi.json', headers: h }) },
  { name: 'GET /keys', access: { who: 'public', status: 200 }, call: (t, h) => t.app.inject({ url: '/api/v1/keys', headers: h }) },
  {
    // The SMS gateway has its own shared secret; unconfigured here, so the channel is absent.
    name: 'POST /sms/inbound',
    access: { who: 'public', status: 404 },
    call: (t, h) => t.app.inject({ method: 'POST', url: '/api/v1/sms/inbound', headers: h, payload: { from: '+6281234567890', text: 'x' } }),
  },
  {
    name: 'POST /push (coklit record)',
    access: { who: 'roles', roles: FIELD, status: 200, outside: 'forbidden', denied: 'forbidden' },
    call: (t, h) => pushAs(t.app, h, [coklit(REGION.village)]),
    outcome: pushedItemOutcome,
  },
  {
    name: 'POST /push (public request)',
    access: { who: 'device', status: 200 },
    call: (t, h) => pushAs(t.app, h, [envelope()]),
    outcome: pushedItemOutcome,
  },
  { name: 'GET /changes', access: { who: 'device', status: 200 }, call: (t, h) => t.app.inject({ url: '/api/v1/changes?since=0', headers: h }) },
  {
    // Following a request by its secret: any device credential, an officer's token included.
    name: 'POST /follow',
    access: { who: 'device', status: 200 },
    call: (t, h) => t.app.inject({ method: 'POST', url: '/api/v1/follow', headers: { ...h, 'content-type': 'application/json' }, payload: { items: [] } }),
  },
  {
    // tus: a HEAD for an upload that does not exist; authenticated callers get tus's 404.
    name: 'HEAD /uploads/:id',
    access: { who: 'device', status: 404 },
    call: (t, h) => t.app.inject({ method: 'HEAD', url: `/api/v1/uploads/${'ab'.repeat(32)}`, headers: { ...h, 'tus-resumable': '1.0.0' } }),
  },
  {
    // tus creation without Upload-Length: authenticated callers reach tus's own 4xx.
    name: 'POST /uploads',
    access: { who: 'device', status: 400 },
    call: (t, h) => t.app.inject({ method: 'POST', url: '/api/v1/uploads', headers: { ...h, 'tus-resumable': '1.0.0' } }),
  },
  {
    // CORS/tus capability preflight: answered to anyone, like any public route.
    name: 'OPTIONS /uploads',
    access: { who: 'public', status: 204 },
    call: (t, h) => t.app.inject({ method: 'OPTIONS', url: '/api/v1/uploads', headers: { ...h, 'tus-resumable': '1.0.0' } }),
  },
  {
    name: 'PATCH /uploads/:id',
    access: { who: 'device', status: 404 },
    call: (t, h) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/uploads/${'ab'.repeat(32)}`,
        headers: { ...h, 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        payload: Buffer.from('x'),
      }),
  },
  {
    // A carried QR hand-off that does not open: any known device gets it judged, item by item.
    name: 'POST /handoff',
    access: { who: 'device', status: 200 },
    call: (t, h) => t.app.inject({ method: 'POST', url: '/api/v1/handoff', headers: h, payload: { bundles: ['AAAA'] } }),
  },
  ...(['table', 'sync-delay', 'coklit', 'ranking'] as const).map(
    (kpi): Endpoint => ({
      // Narrowed to the village: inside the caller's scope, or refused.
      name: `GET /kpi/${kpi}`,
      access: { who: 'roles', roles: LISTING, status: 200, outside: 403 },
      call: (t, h) => t.app.inject({ url: `/api/v1/kpi/${kpi}?region=${REGION.village}`, headers: h }),
    }),
  ),
  {
    // Training progress has no region parameter: always the caller's own scope.
    name: 'GET /kpi/practice',
    access: { who: 'roles', roles: LISTING, status: 200, outside: 'same' },
    call: (t, h) => t.app.inject({ url: '/api/v1/kpi/practice', headers: h }),
  },
  {
    // What officers' devices hold: narrowed to the village, inside the caller's scope or refused.
    name: 'GET /kpi/form-versions',
    access: { who: 'roles', roles: LISTING, status: 200, outside: 403 },
    call: (t, h) => t.app.inject({ url: `/api/v1/kpi/form-versions?region=${REGION.village}`, headers: h }),
  },
  {
    // SOP documents reach every device in the province: only the province admin publishes them.
    name: 'POST /admin/sops',
    access: { who: 'roles', roles: ['admin_provinsi'], status: 201, outside: 'same' },
    call: (t, h) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/sops',
        headers: h,
        payload: {
          sopId: `sop-matriks-${randomBytes(4).toString('hex')}`,
          version: 1,
          title: { id: 'SOP uji', en: 'Test SOP' },
          effectiveDate: '2026-12-01',
          changeNotes: { id: 'Versi pertama.', en: 'First version.' },
          body: 'Langkah pertama.',
        },
      }),
  },
  {
    name: 'POST /auth/login',
    access: { who: 'public', status: 200 },
    call: async (t, h) => {
      const o = fixtures().fieldOfficer;
      return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: h, payload: { username: o.username, password: PASSWORD, deviceLabel: 'matriks' } });
    },
  },
  { name: 'GET /auth/me', access: { who: 'officer', status: 200 }, call: (t, h) => t.app.inject({ url: '/api/v1/auth/me', headers: h }) },
  {
    name: 'POST /auth/logout',
    access: { who: 'officer', status: 200 },
    call: async (t, h, who) => {
      // Logging out revokes the caller's token: use a fresh one of the same account.
      if (who.kind === 'officer' && who.relation !== 'revoked') {
        const o = fixtures().officers.get(`${who.role}/${who.relation}`);
        if (!o) throw new Error('no officer');
        const fresh = (await login(t.app, o.username, PASSWORD)).json<{ token: string }>().token;
        return t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(fresh) });
      }
      return t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h });
    },
  },
  {
    name: 'POST /admin/accounts (a PPS of the village)',
    access: { who: 'roles', roles: MANAGING, status: 201, outside: 403 },
    call: (t, h) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/accounts',
        headers: h,
        payload: { username: `pps-${randomBytes(4).toString('hex')}`, password: PASSWORD, role: 'pps', scope: REGION.village, displayName: 'PPS' },
      }),
  },
  {
    name: 'GET /admin/accounts',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 'same' },
    call: (t, h) => t.app.inject({ url: '/api/v1/admin/accounts', headers: h }),
  },
  {
    name: 'GET /admin/accounts/:id/devices',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 404 },
    call: (t, h) => t.app.inject({ url: `/api/v1/admin/accounts/${fixtures().fieldOfficer.id}/devices`, headers: h }),
  },
  {
    name: 'POST /admin/accounts/:id/disable',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 404 },
    call: async (t, h) => {
      const victim = await officer(t, 'kpps', REGION.village);
      return t.app.inject({ method: 'POST', url: `/api/v1/admin/accounts/${victim.id}/disable`, headers: h });
    },
  },
  {
    // Checked up to the password rules (the same password again), so no account's password moves.
    name: 'POST /auth/password',
    access: { who: 'officer', status: 400 },
    call: (t, h) => t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: h, payload: { currentPassword: PASSWORD, newPassword: PASSWORD } }),
  },
  {
    name: 'POST /admin/accounts/:id/password',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 404 },
    call: async (t, h) => {
      const victim = await officer(t, 'kpps', REGION.village);
      return t.app.inject({ method: 'POST', url: `/api/v1/admin/accounts/${victim.id}/password`, headers: h, payload: { newPassword: 'kata-sandi-baru-456' } });
    },
  },
  {
    name: 'POST /admin/devices/:id/revoke',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 404 },
    call: async (t, h) => {
      const o = fixtures().fieldOfficer;
      const victim = (await login(t.app, o.username, PASSWORD)).json<{ deviceId: string }>().deviceId;
      return t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${victim}/revoke`, headers: h });
    },
  },
  {
    name: 'GET /inbox',
    access: { who: 'roles', roles: LISTING, status: 200, outside: 'hidden' },
    call: (t, h) => t.app.inject({ url: '/api/v1/inbox?limit=200&form=coklit-pilkada', headers: h }),
    outcome: (res) => (res.json<{ items: { id: string }[] }>().items.some((i) => i.id === fixtures().record.id) ? 'visible' : 'hidden'),
  },
  {
    // A period's submissions with personal data: narrowed to the village, inside the caller's scope or refused.
    name: 'GET /exports/submissions',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 403 },
    call: (t, h) => t.app.inject({ url: `/api/v1/exports/submissions?region=${REGION.village}&form=coklit-pilkada&format=csv`, headers: h }),
  },
  {
    // The PPID register on screen: roles that read requests, narrowed to the village, inside the scope or refused.
    name: 'GET /registers/:kind',
    access: { who: 'roles', roles: READING, status: 200, outside: 403 },
    call: (t, h) => t.app.inject({ url: `/api/v1/registers/permohonan?region=${REGION.village}`, headers: h }),
  },
  {
    name: 'GET /registers/:kind (file)',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 403 },
    call: (t, h) => t.app.inject({ url: `/api/v1/registers/keberatan?region=${REGION.village}&format=csv`, headers: h }),
  },
  {
    name: 'GET /inbox/:id',
    access: { who: 'roles', roles: READING, status: 200, outside: 404 },
    call: (t, h) => t.app.inject({ url: `/api/v1/inbox/${fixtures().record.id}`, headers: h }),
  },
  {
    name: 'POST /inbox/:id/status',
    access: { who: 'roles', roles: ANSWERING, status: 200, outside: 404 },
    call: async (t, h) => {
      const id = await freshPublicRequest(t.app, formEnvelope('tanggapan-dps', { wilayah: REGION.village }));
      return t.app.inject({ method: 'POST', url: `/api/v1/inbox/${id}/status`, headers: h, payload: { status: 'diproses' } });
    },
  },
  {
    // Return for completion (#14): the answering roles, inside their scope; elsewhere the request is not found.
    name: 'POST /inbox/:id/return',
    access: { who: 'roles', roles: ANSWERING, status: 200, outside: 404 },
    call: async (t, h) => {
      const id = await freshPublicRequest(t.app, envelope({ data: validPpidData({ ditujukanKepada: REGION.regency }) }));
      return t.app.inject({ method: 'POST', url: `/api/v1/inbox/${id}/return`, headers: h, payload: { reason: 'Tujuan penggunaan belum jelas.', fields: ['tujuanPenggunaan'] } });
    },
  },
  {
    // An internal note: whoever may read the request, inside the scope.
    name: 'POST /inbox/:id/notes',
    access: { who: 'roles', roles: READING, status: 200, outside: 404 },
    call: (t, h) => t.app.inject({ method: 'POST', url: `/api/v1/inbox/${fixtures().record.id}/notes`, headers: h, payload: { text: 'Sudah ditelepon.' } }),
  },
  {
    // Assignment (null: nobody in charge): the answering roles, inside the scope.
    name: 'POST /inbox/:id/assign',
    access: { who: 'roles', roles: ANSWERING, status: 200, outside: 404 },
    call: (t, h) => t.app.inject({ method: 'POST', url: `/api/v1/inbox/${fixtures().record.id}/assign`, headers: h, payload: { accountId: null } }),
  },
  {
    name: 'POST /inbox/:id/extend',
    access: { who: 'roles', roles: ANSWERING, status: 200, outside: 404 },
    call: async (t, h) => {
      const id = await freshPublicRequest(t.app, envelope({ data: validPpidData({ ditujukanKepada: REGION.regency }) }));
      return t.app.inject({ method: 'POST', url: `/api/v1/inbox/${id}/extend`, headers: h });
    },
  },
  {
    // A voter list for a TPS of REGION.village: outside the uploader's region, its line is refused.
    name: 'POST /assignments',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 422 },
    call: (t, h) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/assignments',
        headers: { ...h, 'content-type': 'text/csv' },
        payload: `desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt\n${REGION.village},007,1901024501900001,1901020101200001,Siti,P,Mentok,1990-01-05,Jl. Laut,1\n`,
      }),
  },
  {
    name: 'GET /voters/duplicates',
    access: { who: 'roles', roles: READING, status: 200, outside: 'same' },
    call: (t, h) => t.app.inject({ url: '/api/v1/voters/duplicates', headers: h }),
  },
  {
    name: 'POST /voters/duplicates/:id/decision (no such pair)',
    access: { who: 'roles', roles: READING, status: 404, outside: 404 },
    call: (t, h) => t.app.inject({ method: 'POST', url: '/api/v1/voters/duplicates/01JD0000000000000000000000/decision', headers: h, payload: { keputusan: 'bukan_ganda' } }),
  },
  {
    name: 'POST /voters/duplicates/search',
    access: { who: 'roles', roles: ['admin_provinsi'], status: 200, outside: 403 },
    call: (t, h) => t.app.inject({ method: 'POST', url: '/api/v1/voters/duplicates/search', headers: h }),
  },
  {
    name: 'GET /assignments',
    access: { who: 'roles', roles: ['pps', 'pantarlih'], status: 200, outside: 404 },
    call: (t, h) => t.app.inject({ url: `/api/v1/assignments?village=${REGION.village}`, headers: h }),
  },
  {
    // Voter records (issue #13): the Konflik queue of the caller's region (another region's is empty).
    name: 'GET /voters/conflicts',
    access: { who: 'roles', roles: READING, status: 200, outside: 'same' },
    call: (t, h) => t.app.inject({ url: '/api/v1/voters/conflicts', headers: h }),
  },
  {
    // No such conflict: the role gate answers first (403), then the lookup (404).
    name: 'POST /voters/conflicts/:id/resolve',
    access: { who: 'roles', roles: READING, status: 404, outside: 404 },
    call: (t, h) => t.app.inject({ method: 'POST', url: `/api/v1/voters/conflicts/${'0'.repeat(32)}/resolve`, headers: h, payload: { resolution: 'current' } }),
  },
  {
    name: 'GET /voters/records/:id/history',
    access: { who: 'roles', roles: READING, status: 404, outside: 404 },
    call: (t, h) => t.app.inject({ url: `/api/v1/voters/records/${'0'.repeat(32)}/history`, headers: h }),
  },
  {
    name: 'GET /voters/recap',
    access: { who: 'roles', roles: READING, status: 200, outside: 404 },
    call: (t, h) => t.app.inject({ url: `/api/v1/voters/recap?scope=${REGION.village}`, headers: h }),
  },
  {
    // A TPS without a list: the role gate answers first (403), then the lookup (404).
    name: 'GET /voters/list.csv',
    access: { who: 'roles', roles: READING, status: 404, outside: 404 },
    call: (t, h) => t.app.inject({ url: `/api/v1/voters/list.csv?village=${REGION.village}&tps=999`, headers: h }),
  },
  {
    name: 'POST /subject-requests (to the regency office)',
    access: { who: 'roles', roles: MANAGING, status: 201, outside: 403 },
    call: (t, h) => t.app.inject({ method: 'POST', url: '/api/v1/subject-requests', headers: h, payload: { kind: 'access', nik: SUBJECT_NIK, regionCode: REGION.regency } }),
  },
  {
    name: 'GET /subject-requests',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 'same' },
    call: (t, h) => t.app.inject({ url: '/api/v1/subject-requests', headers: h }),
  },
  {
    name: 'GET /subject-requests/:id/export',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 404 },
    call: async (t, h) => t.app.inject({ url: `/api/v1/subject-requests/${await subjectRequest(t, 'access')}/export`, headers: h }),
  },
  {
    name: 'POST /subject-requests/:id/correct',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 404 },
    call: async (t, h) => {
      const id = await freshPublicRequest(t.app, envelope({ data: validPpidData({ nik: SUBJECT_NIK, ditujukanKepada: REGION.regency }) }));
      const url = `/api/v1/subject-requests/${await subjectRequest(t, 'correction')}/correct`;
      return t.app.inject({ method: 'POST', url, headers: h, payload: { submissionId: id, field: 'pekerjaan', value: 'Petani' } });
    },
  },
  {
    name: 'POST /subject-requests/:id/erase',
    access: { who: 'roles', roles: MANAGING, status: 200, outside: 404 },
    call: async (t, h) => t.app.inject({ method: 'POST', url: `/api/v1/subject-requests/${await subjectRequest(t, 'erasure')}/erase`, headers: h }),
  },
  {
    name: 'GET /audit',
    access: { who: 'roles', roles: ['admin_provinsi'], status: 200, outside: 'same' },
    call: (t, h) => t.app.inject({ url: '/api/v1/audit?limit=1', headers: h }),
  },
];

/** The one table: the answer each caller must get from an endpoint. */
function expected(endpoint: Endpoint, who: Caller): string {
  const a = endpoint.access;
  const ok = (status: number) => {
    if (status !== 200 || !endpoint.outcome) return String(status);
    return endpoint.name.startsWith('GET /inbox') ? 'visible' : 'accepted';
  };
  if (who.kind === 'officer' && who.relation === 'revoked') return '401';
  // A token that does not work, and any officer token sent as a Device credential: 401 everywhere.
  if (who.kind === 'token') return '401';
  if (who.kind === 'none') return a.who === 'public' ? ok(a.status) : '401';
  if (who.kind === 'device') {
    if (a.who === 'public' || a.who === 'device') return ok(a.status);
    if (a.who === 'roles' && a.denied === 'forbidden') return 'forbidden';
    return '401';
  }
  if (a.who !== 'roles') return ok(a.status);
  if (!a.roles.includes(who.role)) return a.denied === 'forbidden' ? 'forbidden' : '403';
  if (who.relation === 'own' || a.outside === 'same') return ok(a.status);
  return typeof a.outside === 'number' ? String(a.outside) : a.outside;
}

function observed(endpoint: Endpoint, res: LightMyRequestResponse): string {
  if (res.statusCode === 200 && endpoint.outcome) return endpoint.outcome(res);
  return String(res.statusCode);
}

function callers(): Caller[] {
  const list: Caller[] = [{ kind: 'none' }, { kind: 'device' }];
  for (const role of ROLES) {
    list.push({ kind: 'officer', role, relation: 'own' });
    if (SCOPES[role].other) list.push({ kind: 'officer', role, relation: 'other' });
    list.push({ kind: 'officer', role, relation: 'revoked' });
  }
  for (const role of TOKEN_ROLES) {
    for (const state of TOKEN_STATES) {
      if (state !== 'active' && state !== 'revoked') list.push({ kind: 'token', scheme: 'bearer', role, state });
      list.push({ kind: 'token', scheme: 'device', role, state });
    }
  }
  return list;
}

function label(who: Caller): string {
  if (who.kind === 'token') return `${who.scheme}:${who.role}/${who.state}`;
  return who.kind === 'officer' ? `${who.role}/${who.relation}` : who.kind;
}

function headersOf(who: Caller): Record<string, string> {
  const f = fixtures();
  if (who.kind === 'none') return {};
  if (who.kind === 'device') return { authorization: f.resident.authorization };
  if (who.kind === 'officer') return bearer(f.officers.get(label(who))?.token ?? 'missing');
  const o = f.tokens.get(`${who.role}/${who.state}`);
  if (!o) throw new Error(`no token ${label(who)}`);
  return who.scheme === 'bearer' ? bearer(o.token) : { authorization: deviceAuthorization(o.deviceId, o.token) };
}

/** An officer of `role` whose token is brought into `state` the way it happens in use. */
async function tokenInState(t: TestApp, admin: TestOfficer, role: Role, state: TokenState): Promise<TestOfficer> {
  const o = await officer(t, role, SCOPES[role].own);
  const post = async (url: string, headers: Record<string, string>, payload?: object) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
    if (res.statusCode !== 200) throw new Error(`${role}/${state}: ${url} answered ${res.statusCode} ${res.body}`);
  };
  switch (state) {
    case 'active':
      break;
    case 'revoked':
      await post(`/admin/devices/${o.deviceId}/revoke`, bearer(admin.token));
      break;
    case 'expired':
      await t.db.updateTable('device_tokens').set({ last_used_at: '2025-01-01T00:00:00.000Z' }).where('id', '=', o.deviceId).execute();
      break;
    case 'disabled':
      await post(`/admin/accounts/${o.id}/disable`, bearer(admin.token));
      break;
    case 'password_changed': {
      const other = (await login(t.app, o.username, PASSWORD)).json<{ token: string }>().token;
      await post('/auth/password', bearer(other), { currentPassword: PASSWORD, newPassword: 'kata-sandi-baru-789' });
      break;
    }
  }
  return o;
}

describeEachDialect(
  'authorisation matrix',
  (ctx) => {
    beforeAll(async () => {
      const t = ctx();
      const officers = new Map<string, TestOfficer>();
      for (const role of ROLES) {
        const { own, other } = SCOPES[role];
        officers.set(`${role}/own`, await officer(t, role, own));
        if (other) officers.set(`${role}/other`, await officer(t, role, other));
        const revoked = await officer(t, role, own);
        await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(revoked.token) });
        officers.set(`${role}/revoked`, revoked);
      }
      const fieldOfficer = await officer(t, 'pantarlih', REGION.village);
      const record = coklit(REGION.village);
      const pushed = await pushAs(t.app, bearer(fieldOfficer.token), [record]);
      if (pushedItemOutcome(pushed) !== 'accepted') throw new Error(`fixture record not accepted: ${pushed.body}`);
      const resident = newDevice();
      await pushOk(t.app, resident, [envelope()]);
      const tokenAdmin = await officer(t, 'admin_provinsi', REGION.province);
      const tokens = new Map<string, TestOfficer>();
      for (const role of TOKEN_ROLES) {
        for (const state of TOKEN_STATES) tokens.set(`${role}/${state}`, await tokenInState(t, tokenAdmin, role, state));
      }
      fx = { officers, record, fieldOfficer, resident, tokens };
    });

    it('covers every documented endpoint', async () => {
      const doc = (await ctx().app.inject({ url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
      const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace('/api/v1', '').replace(/\{(\w+)\}/g, ':$1')}`),
      );
      const covered = new Set(ENDPOINTS.map((e) => e.name.replace(/ \(.*\)$/, '')));
      expect(documented.filter((d) => !covered.has(d))).toEqual([]);
    });

    for (const endpoint of ENDPOINTS) {
      it(endpoint.name, async () => {
        const t = ctx();
        const mismatches: string[] = [];
        for (const who of callers()) {
          const headers = headersOf(who);
          const res = await endpoint.call(t, headers, who);
          const want = expected(endpoint, who);
          const got = observed(endpoint, res);
          if (got !== want) mismatches.push(`${label(who)}: expected ${want}, got ${got} ${res.body.slice(0, 120)}`);
        }
        expect(mismatches).toEqual([]);
      });
    }
  },
  { auth: TEST_AUTH },
);
