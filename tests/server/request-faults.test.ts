// Whatever a client sends, a fault of the request is a 4xx naming it, never a 5xx (a 5xx tells a
// device "try again later", so a malformed request would be retried for ever).
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { MAX_PUSH_BYTES } from '../../core/protocol.ts';
import { describeEachDialect, envelope, newDevice, push } from './helpers.ts';

describeEachDialect('request faults', (ctx) => {
  const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
    ctx().app.inject({
      method: 'POST',
      url: '/api/v1/push',
      headers: { authorization: newDevice().authorization, 'content-type': 'application/json', ...headers },
      payload,
    });

  it('answers malformed JSON with 400 malformed_json', async () => {
    for (const body of ['{"items": [', 'nope', '{"items": [1,]}', '\u0000']) {
      const res = await post(body);
      expect(res.statusCode, body).toBe(400);
      expect(res.json()).toMatchObject({ error: 'malformed_json' });
    }
  });

  it('answers an empty body with 400', async () => {
    const res = await post('');
    expect(res.statusCode).toBe(400);
  });

  it('answers wrong types with 400 invalid_request', async () => {
    for (const body of [{ items: 'x' }, { items: {} }, { items: [] }, {}, [], null, 5, { items: [envelope()], extra: 1 }]) {
      const res = await post(JSON.stringify(body));
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error).toBe('invalid_request');
    }
  });

  it('answers more than 500 items with 400', async () => {
    const res = await post(JSON.stringify({ items: Array.from({ length: 501 }, () => ({})) }));
    expect(res.statusCode).toBe(400);
  });

  it('answers an oversize body with 413', async () => {
    const big = JSON.stringify({ items: [{ pad: 'x'.repeat(MAX_PUSH_BYTES) }] });
    const res = await post(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'too_large' });
  });

  it('answers an unsupported Content-Encoding with 415', async () => {
    const body = gzipSync(JSON.stringify({ items: [envelope()] }));
    for (const encoding of ['br', 'deflate', 'x-foo', 'gzip, br', 'compress']) {
      const res = await post(body, { 'content-encoding': encoding });
      expect(res.statusCode, encoding).toBe(415);
      expect(res.json()).toMatchObject({ error: 'unsupported_encoding' });
    }
  });

  it('answers an unsupported Content-Type with 415', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await post('{"items":[1]}', { 'content-type': type });
      expect(res.statusCode, type).toBe(415);
    }
  });

  it('answers a gzip bomb with 413 without inflating it', async () => {
    // ~200 KB on the wire, 256 MB once inflated.
    const bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(MAX_PUSH_BYTES);
    const before = process.memoryUsage().rss;
    const res = await post(bomb, { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'too_large' });
    expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024);
  });

  it('answers a compressed body over the limit with 413', async () => {
    const noise = Buffer.alloc(MAX_PUSH_BYTES + 1024);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const res = await post(gzipSync(noise, { level: 0 }), { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
  });

  it('answers a body that is not gzip, though it says so, with 400', async () => {
    const res = await post(JSON.stringify({ items: [envelope()] }), { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_encoding' });
  });

  it('answers a missing or malformed Authorization with 401', async () => {
    const { app } = ctx();
    for (const authorization of [undefined, '', 'Bearer abc', 'Device nope', `Device ${newDevice().deviceId}`, 'Device 01ARZ3NDEKTSV4RRFFQ69G5FAV.short']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/push',
        headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
        payload: JSON.stringify({ items: [envelope()] }),
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      // A Bearer header is an officer's device token: a malformed one is refused as such.
      expect(res.json()).toMatchObject({ error: authorization?.startsWith('Bearer') ? 'token_invalid' : 'device_auth_missing' });
      expect(res.headers['www-authenticate']).toBe(
        authorization?.startsWith('Bearer') ? 'Bearer realm="jangkau", error="invalid_token"' : 'Device realm="jangkau", Bearer realm="jangkau"',
      );
    }
  });

  it('asks officer routes for a Bearer token in WWW-Authenticate', async () => {
    const { app } = ctx();
    const none = await app.inject({ url: '/api/v1/inbox' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="jangkau"');
    const unknown = await app.inject({ url: '/api/v1/inbox', headers: { authorization: `Bearer jkt_${'A'.repeat(43)}` } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toBe('Bearer realm="jangkau", error="invalid_token"');
  });

  it('answers a known device with the wrong secret with 401 device_auth', async () => {
    const { app } = ctx();
    const device = newDevice();
    expect((await push(app, device, { items: [envelope()] })).statusCode).toBe(200);
    const impostor = { ...device, authorization: `Device ${device.deviceId}.${'x'.repeat(32)}` };
    const res = await push(app, impostor, { items: [envelope()] });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'device_auth' });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { app } = ctx();
    for (const [method, url] of [
      ['GET', '/api/v1/nope'],
      ['POST', '/api/v1/nope'],
      ['GET', '/api/v2/push'],
      ['DELETE', '/api/v1/push'],
      ['GET', '/index.html'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json()).toEqual({ error: 'not_found', message: 'Not found' });
    }
  });

  it('answers a JSON body with __proto__ with 400', async () => {
    const res = await post('{"items":[{"__proto__":{"x":1}}]}');
    expect(res.statusCode).toBe(400);
  });

  it('never answers a nasty request with a 5xx', async () => {
    const { app } = ctx();
    const device = newDevice();
    const nasty: { headers?: Record<string, string>; payload?: string | Buffer; url?: string; method?: 'GET' | 'POST' }[] = [
      { payload: '{"items":[' + '['.repeat(5000) + ']'.repeat(5000) + ']}' },
      { payload: '{"items":[{"id":"' + 'A'.repeat(100_000) + '"}]}' },
      { payload: JSON.stringify({ items: [{ ...envelope(), data: { nama: { $gt: '' } } }] }) },
      { payload: JSON.stringify({ items: [{ ...envelope(), data: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 'v'])) }] }) },
      { payload: JSON.stringify({ items: [{ ...envelope(), formVersion: 1e308 }] }) },
      { payload: JSON.stringify({ items: [{ ...envelope(), formVersion: -1 }] }) },
      { payload: JSON.stringify({ items: [{ ...envelope(), data: { nik: 1901024501900001 } }] }) },
      { payload: JSON.stringify({ items: [{ ...envelope(), data: { ...envelope().data, constructor: 'x', toString: 'y' } }] }) },
      { payload: JSON.stringify({ items: [{ ...envelope(), id: '0'.repeat(26) }] }) },
      { payload: JSON.stringify({ items: [{ ...envelope(), createdAt: '9999-99-99T99:99:99Z' }] }) },
      { payload: '{"items":[1],"items":"x"}' },
      { payload: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) },
      { payload: Buffer.from([0x1f, 0x8b, 0x08, 0x00]), headers: { 'content-encoding': 'gzip' } },
      { payload: '{"items":[1]}', headers: { 'content-type': 'application/json; charset=latin1' } },
      { payload: '{"items":[1]}', headers: { 'content-length': '5' } },
      { payload: '{"items":[1]}', headers: { 'content-encoding': '' } },
      { payload: '{"items":[1]}', headers: { 'content-type': '' } },
      { method: 'GET', url: '/api/v1/changes?since=-1' },
      { method: 'GET', url: '/api/v1/changes?since=99999999999999999999' },
      { method: 'GET', url: '/api/v1/changes?since=1e5' },
      { method: 'GET', url: '/api/v1/changes?limit=0' },
      { method: 'GET', url: '/api/v1/changes?limit=abc' },
      { method: 'GET', url: '/api/v1/changes?limit=1&limit=2' },
      { method: 'GET', url: '/api/v1/changes?since[]=1' },
      { method: 'GET', url: '/api/v1/changes?%zz' },
      { method: 'GET', url: '/api/v1/%zz' },
      { method: 'GET', url: '/%c0%ae%c0%ae/etc/passwd' },
      { method: 'GET', url: '/api/v1/health?x=' + 'y'.repeat(10_000) },
    ];
    for (const [i, n] of nasty.entries()) {
      const res = await app.inject({
        method: n.method ?? 'POST',
        url: n.url ?? '/api/v1/push',
        headers: { authorization: device.authorization, 'content-type': 'application/json', ...n.headers },
        ...(n.payload !== undefined ? { payload: n.payload } : {}),
      });
      expect(res.statusCode, `case ${i}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
      expect(res.headers['content-type'], `case ${i}`).toMatch(/json/);
    }
  });
});
