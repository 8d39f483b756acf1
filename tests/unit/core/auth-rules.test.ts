// The pure role × region rules: coverage by code prefix, which level each role sits at, who
// manages whom, and which region each catalogue form's submission belongs to.
import { describe, expect, it } from 'vitest';
import { mayActOn, mayManage, mayPushForm } from '../../../core/auth/access.ts';
import { scopeLevel } from '../../../core/auth/roles.ts';
import { covers, scopeFitsRole } from '../../../core/auth/scope.ts';
import { scopeFieldOf, submissionRegion } from '../../../core/auth/submission-scope.ts';
import { findForm, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';

describe('covers', () => {
  it.each([
    ['19', '19', true],
    ['19', '19.01.01.2001', true],
    ['19.01', '19.01.03.2004', true],
    ['19.01', '19.010', false],
    ['19.01', '19.02.01', false],
    ['19.01.01.2001', '19.01.01', false],
    ['19.01.01', '19.01.01.2001', true],
  ])('%s covers %s: %s', (scope, code, expected) => {
    expect(covers(scope, code)).toBe(expected);
  });
});

it('knows the level of each scope and which roles sit there', () => {
  expect(['19', '19.01', '19.01.01', '19.01.01.2001', '19.1', ''].map(scopeLevel)).toEqual(['province', 'regency', 'district', 'village', undefined, undefined]);
  expect(scopeFitsRole('admin_provinsi', '19')).toBe(true);
  expect(scopeFitsRole('admin_provinsi', '19.01')).toBe(false);
  expect(scopeFitsRole('operator', '19.01')).toBe(true);
  expect(scopeFitsRole('operator', '19.01.01')).toBe(false);
  expect(scopeFitsRole('ppk', '19.01.01')).toBe(true);
  expect(scopeFitsRole('pps', '19.01.01')).toBe(false);
  expect(scopeFitsRole('pantarlih', '19.01.01.2001')).toBe(true);
});

it('lets managers manage only the roles they may, inside their scope', () => {
  const admin = { role: 'admin_provinsi' as const, scope: '19' };
  const op = { role: 'operator' as const, scope: '19.01' };
  expect(mayManage(admin, { role: 'operator', scope: '19.02' })).toBe(true);
  expect(mayManage(op, { role: 'pps', scope: '19.01.01.2001' })).toBe(true);
  expect(mayManage(op, { role: 'pps', scope: '19.02.01.2001' })).toBe(false);
  expect(mayManage(op, { role: 'operator', scope: '19.01' })).toBe(false);
  expect(mayManage({ role: 'pps', scope: '19.01.01.2001' }, { role: 'pantarlih', scope: '19.01.01.2001' })).toBe(false);
  expect(mayActOn({ role: 'pengamat', scope: '19' }, 'inbox.read', '19.01')).toBe(false);
  expect(mayActOn({ role: 'ppk', scope: '19.01.01' }, 'inbox.read', '19.01.01.2001')).toBe(true);
});

it('takes public forms from anyone and officer forms only from an officer in scope', () => {
  expect(mayPushForm(undefined, 'public', '19.01')).toBe(true);
  expect(mayPushForm(undefined, 'officer', '19.01.01.2001')).toBe(false);
  expect(mayPushForm({ role: 'pantarlih', scope: '19.01.01.2001' }, 'officer', '19.01.01.2001')).toBe(true);
  expect(mayPushForm({ role: 'pantarlih', scope: '19.01.01.2001' }, 'officer', '19.01.01.2002')).toBe(false);
  expect(mayPushForm({ role: 'pengamat', scope: '19' }, 'officer', '19.01.01.2001')).toBe(false);
});

describe('submission region', () => {
  const form = (id: string) => {
    const f = findForm(PUBLISHED_FORMS, id, 1);
    if (!f) throw new Error(id);
    return f;
  };
  it.each([
    ['ppid-permohonan', 'ditujukanKepada'],
    ['keberatan-informasi', 'ditujukanKepada'],
    ['pengaduan', 'ditujukanKepada'],
    ['tanggapan-dps', 'wilayah'],
    ['pindah-memilih', 'desaAsal'],
    ['akreditasi-pemantau', 'wilayahPemantauan'],
    ['coklit-pilkada', 'desa'],
    ['survei-tps', 'desa'],
    ['skm', undefined],
  ])('%s is scoped by %s', (id, field) => {
    expect(scopeFieldOf(form(id))).toBe(field);
  });
  it('falls back to the province for a missing, foreign or malformed answer, and obeys scopeField', () => {
    const ppid = form('ppid-permohonan');
    expect(submissionRegion(ppid, { ditujukanKepada: '19.03' })).toBe('19.03');
    expect(submissionRegion(ppid, {})).toBe('19');
    expect(submissionRegion(ppid, { ditujukanKepada: '31.71' })).toBe('19');
    expect(submissionRegion(ppid, { ditujukanKepada: ['19.03'] })).toBe('19');
    expect(submissionRegion(form('skm'), { layanan: 'x' })).toBe('19');
    const pindah = { ...form('pindah-memilih'), scopeField: 'desaTujuan' };
    expect(submissionRegion(pindah, { desaAsal: '19.01.01.2001', desaTujuan: '19.02.01.2003' })).toBe('19.02.01.2003');
  });
  it('places an SKM answer at the office it rates from version 2 on; version 1 stays at the province', () => {
    const skmV2 = findForm(PUBLISHED_FORMS, 'skm', 2);
    if (!skmV2) throw new Error('skm@2');
    expect(scopeFieldOf(skmV2)).toBe('kantorDinilai');
    expect(submissionRegion(skmV2, { kantorDinilai: '19.02', layanan: 'informasi' })).toBe('19.02');
    expect(submissionRegion(skmV2, { kantorDinilai: '19', layanan: 'informasi' })).toBe('19');
    expect(submissionRegion(skmV2, { kantorDinilai: '31.71' })).toBe('19');
    // A v1 answer that happens to carry the field (it is not on v1) is still the province's.
    expect(submissionRegion(form('skm'), { kantorDinilai: '19.02', layanan: 'informasi' })).toBe('19');
  });
});
