// Request logs carry method, path and status only: no bodies (personal data), no Authorization
// (device secrets), no query strings, no client addresses.
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { describeEachDialect, envelope, newDevice, pull, push, validPpidData } from './helpers.ts';
import { createAccountChecked } from '../../server/auth/accounts-service.ts';
import { TEST_SCRYPT } from './auth-fixtures.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});

describeEachDialect(
  'request logging',
  (ctx) => {
    it('logs requests without bodies, secrets, query strings or addresses', async () => {
      const { app } = ctx();
      lines.length = 0;
      const device = newDevice();
      const item = envelope({ data: validPpidData({ nama: 'Rahasia Pribadi', nik: '1901024501900001' }) });
      await push(app, device, { items: [item, { ...item, id: 'bad', secret: 'another-secret-value-x' }] });
      await push(app, device, '{"items": [ broken');
      await pull(app, device, 'since=0&limit=10');
      await app.inject({ url: '/api/v1/changes?since=0', headers: { authorization: `Device ${device.deviceId}.wrong-secret-abcdefgh` } });

      const text = lines.join('\n');
      expect(lines.length).toBeGreaterThanOrEqual(8);
      for (const secret of [
        'Rahasia Pribadi',
        '1901024501900001',
        '081234567890',
        item.secret,
        device.secret,
        'another-secret-value-x',
        'wrong-secret-abcdefgh',
        'since=',
        'authorization',
        'remoteAddress',
        '127.0.0.1',
      ]) {
        expect(text.toLowerCase(), secret).not.toContain(secret.toLowerCase());
      }
      const incoming = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'incoming request');
      expect(incoming.map((l) => l.req)).toContainEqual({ method: 'GET', path: '/api/v1/changes' });
    });

    it('logs logins, officer calls and account creation without usernames, passwords or tokens', async () => {
      const t = ctx();
      lines.length = 0;
      const by = { actorId: 'test', actorRole: 'test' };
      const admin = { username: 'rahasia.admin', password: 'Sandi-Rahasia-Admin-1', role: 'admin_provinsi' as const, scope: '19', displayName: 'Nama Admin Rahasia' };
      await createAccountChecked(t.db, t.dialect, admin, by, TEST_SCRYPT);
      const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: admin.username, password: 'Sandi-Salah-Sekali-9', deviceLabel: 'HP Rahasia' } });
      expect(wrong.statusCode).toBe(401);
      const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: admin.username, password: admin.password, deviceLabel: 'HP Rahasia' } });
      const token = ok.json<{ token: string }>().token;
      const headers = { authorization: `Bearer ${token}` };
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/accounts',
        headers,
        payload: { username: 'rahasia.pps', password: 'Sandi-PPS-Rahasia-2', role: 'pps', scope: '19.01.01.1001', displayName: 'Nama PPS Rahasia' },
      });
      expect(created.statusCode).toBe(201);
      await t.app.inject({ url: '/api/v1/inbox?status=diterima', headers });
      await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token.slice(0, -2)}zz` } });
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
      await t.app.inject({ url: '/api/v1/auth/me', headers });

      const text = lines.join('\n').toLowerCase();
      expect(lines.length).toBeGreaterThanOrEqual(12);
      for (const secret of [admin.username, admin.password, 'Sandi-Salah-Sekali-9', 'HP Rahasia', token, token.slice(4, 30), 'rahasia.pps', 'Sandi-PPS-Rahasia-2', 'Nama PPS Rahasia', 'Nama Admin Rahasia', 'bearer', 'status=diterima']) {
        expect(text, secret).not.toContain(secret.toLowerCase());
      }
    });

    it('logs voter list uploads and downloads and password changes without the list or the passwords', async () => {
      const t = ctx();
      const by = { actorId: 'test', actorRole: 'test' };
      await createAccountChecked(t.db, t.dialect, { username: 'daftar.admin', password: 'Sandi-Daftar-Admin-1', role: 'admin_provinsi', scope: '19', displayName: 'Admin' }, by, TEST_SCRYPT);
      await createAccountChecked(t.db, t.dialect, { username: 'daftar.pps', password: 'Sandi-Daftar-PPS-22', role: 'pps', scope: '19.01.01.1001', displayName: 'PPS' }, by, TEST_SCRYPT);
      const tokenOf = async (username: string, password: string) =>
        (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, deviceLabel: 'uji' } })).json<{ token: string }>().token;
      const admin = { authorization: `Bearer ${await tokenOf('daftar.admin', 'Sandi-Daftar-Admin-1')}` };
      const pps = { authorization: `Bearer ${await tokenOf('daftar.pps', 'Sandi-Daftar-PPS-22')}` };
      lines.length = 0;
      const header = 'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt';
      const voter = '19.01.01.1001,003,1901024501900001,1901020101200001,Pemilih Rahasia,P,Mentok,1990-01-05,Jalan Rahasia 9,2';
      const csv = { ...admin, 'content-type': 'text/csv' };
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/assignments', headers: csv, payload: `${header}\n${voter}\n` })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/assignments', headers: csv, payload: `${header}\n${voter.replace('1901024501900001', '19010245019RAHAS')}\n` })).statusCode).toBe(422);
      expect((await t.app.inject({ url: '/api/v1/assignments?tps=003', headers: pps })).statusCode).toBe(200);
      const change = { currentPassword: 'Sandi-Daftar-PPS-22', newPassword: 'Sandi-Baru-Rahasia-33' };
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: pps, payload: change })).statusCode).toBe(200);

      const text = lines.join('\n').toLowerCase();
      expect(lines.length).toBeGreaterThanOrEqual(8);
      for (const secret of ['1901024501900001', '19010245019RAHAS', '1901020101200001', 'Pemilih Rahasia', 'Jalan Rahasia', 'Sandi-Daftar-PPS-22', 'Sandi-Baru-Rahasia-33', 'tps=003']) {
        expect(text, secret).not.toContain(secret.toLowerCase());
      }
    });
  },
  { logger: { level: 'info', stream: sink } },
);
