// Request logs carry method, path and status only: no bodies (personal data), no Authorization
// (device secrets), no query strings, no client addresses.
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { describeEachDialect, envelope, newDevice, pull, push, validPpidData } from './helpers.ts';

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
  },
  { logger: { level: 'info', stream: sink } },
);
