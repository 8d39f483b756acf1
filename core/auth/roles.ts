// Who may do what, as data: the roles of KPU staff and ad hoc officers, the region level each
// role's account is scoped to, and which roles hold which permission. Pure, so the server's
// checks, the authorisation matrix test and (later) the officer screens all read one table.
import { PROVINCE_CODE } from '../regions.ts';
import { levelOf } from '../regions/lookup.ts';

export const ROLES = [
  /** KPU Provinsi administrator: accounts, the audit log, every request in the province. */
  'admin_provinsi',
  /** KPU Kabupaten/Kota operator (scope a regency), or KPU Provinsi staff (scope the province). */
  'operator',
  /** Panitia Pemilihan Kecamatan: a district. */
  'ppk',
  /** Panitia Pemungutan Suara: a village. */
  'pps',
  /** Pantarlih (voter-data updating officer): a village. */
  'pantarlih',
  /** KPPS (polling-station committee): a village. */
  'kpps',
  /** Read-only observer such as Bawaslu: lists requests, never opens personal data. */
  'pengamat',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export type ScopeLevel = 'province' | 'regency' | 'district' | 'village';

/** The level of a scope code by its shape: '19', '19.01', '19.01.01', '19.01.01.2001'. */
export function scopeLevel(code: string): ScopeLevel | undefined {
  if (code === PROVINCE_CODE) return 'province';
  return levelOf(code);
}

/** The region levels an account of each role may be scoped to. */
export const ROLE_LEVELS: Readonly<Record<Role, readonly ScopeLevel[]>> = {
  admin_provinsi: ['province'],
  operator: ['province', 'regency'],
  ppk: ['district'],
  pps: ['village'],
  pantarlih: ['village'],
  kpps: ['village'],
  pengamat: ['province', 'regency'],
};

export const PERMISSIONS = [
  /** List requests in scope, without their personal data. */
  'inbox.list',
  /** Open one request with its personal data (each read is audited). */
  'inbox.read',
  /** Move a request's status, answer it, extend its due date. */
  'inbox.answer',
  /** Create accounts and revoke devices of the roles `MANAGEABLE_ROLES` allows. */
  'accounts.manage',
  /** Read and verify the audit log. */
  'audit.read',
  /** Push officer-audience forms (coklit, TPS survey) for regions in scope. */
  'officer_forms.submit',
  /** Publish SOP documents for every device in the province. */
  'documents.publish',
  /** Upload the voter lists of TPSs in scope (the coklit assignments). */
  'assignments.manage',
  /** Download the voter list of a village in scope to work offline (each download is audited). */
  'assignments.download',
  /** Record a data subject's request (UU 27/2022) to an office in scope; export, correct, erase (each audited). */
  'subject_requests.handle',
  /** See the Konflik queue and the pemilih-ganda pairs of voter records in scope, with both sides' personal data, and resolve or decide them (audited). */
  'voters.resolve',
  /** Read the coklit recap in scope (counts only) and export the updated lists as CSV (audited). */
  'voters.recap',
  /** Download a period's submissions and the PPID registers as XLSX or CSV, personal data included (each export audited). */
  'submissions.export',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin_provinsi: [
    'inbox.list', 'inbox.read', 'inbox.answer', 'accounts.manage', 'audit.read', 'officer_forms.submit', 'assignments.manage', 'documents.publish',
    'subject_requests.handle', 'voters.resolve', 'voters.recap', 'submissions.export',
  ],
  operator: [
    'inbox.list', 'inbox.read', 'inbox.answer', 'accounts.manage', 'officer_forms.submit', 'assignments.manage', 'subject_requests.handle',
    'voters.resolve', 'voters.recap', 'submissions.export',
  ],
  ppk: ['inbox.list', 'inbox.read', 'officer_forms.submit', 'voters.resolve', 'voters.recap'],
  // The village's committee and its Pantarlih carry the list door to door.
  pps: ['inbox.list', 'inbox.read', 'officer_forms.submit', 'assignments.download', 'voters.resolve', 'voters.recap'],
  pantarlih: ['officer_forms.submit', 'assignments.download'],
  kpps: ['officer_forms.submit'],
  pengamat: ['inbox.list'],
};

/** Which roles an account manager may create, and whose devices they may revoke. */
export const MANAGEABLE_ROLES: Readonly<Record<Role, readonly Role[]>> = {
  admin_provinsi: ROLES,
  // Regency KPUs recruit the ad hoc committees and officers of their regency.
  operator: ['ppk', 'pps', 'pantarlih', 'kpps'],
  ppk: [],
  pps: [],
  pantarlih: [],
  kpps: [],
  pengamat: [],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
