import { describe, expect, it } from 'vitest';
import { HttpRequestFramer, type FramerEvent } from '../../support/weak-link/http-framer.ts';

/** Compact trace: "start:METHOD target", "end", "opaque", with data lengths summed per request. */
function trace(events: readonly FramerEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.type === 'request-start') out.push(`start:${e.head.method} ${e.head.target}`);
    else if (e.type === 'request-end') out.push('end');
    else if (e.type === 'opaque' && out.at(-1) !== 'opaque') out.push('opaque');
  }
  return out;
}

/** Feeds `input` in pieces of `size` bytes and checks no byte is lost, duplicated or reordered. */
function feed(input: string, size: number): FramerEvent[] {
  const framer = new HttpRequestFramer();
  const bytes = Buffer.from(input, 'latin1');
  const events: FramerEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) events.push(...framer.push(bytes.subarray(i, i + size)));
  const replayed = Buffer.concat(events.flatMap((e) => (e.type === 'data' || e.type === 'opaque' ? [e.bytes] : [])));
  expect(replayed.toString('latin1')).toBe(input);
  return events;
}

const get = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
const post = (body: string): string => `POST /push HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const chunked = 'POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n';

describe('HttpRequestFramer', () => {
  it.each([
    ['a GET with no body', get('/a'), ['start:GET /a', 'end']],
    ['a POST with Content-Length', post('abcdef'), ['start:POST /push', 'end']],
    ['keep-alive requests back to back', get('/a') + post('xyz') + get('/b'), ['start:GET /a', 'end', 'start:POST /push', 'end', 'start:GET /b', 'end']],
    ['a chunked body with extensions and trailers', chunked + get('/next'), ['start:POST /up', 'end', 'start:GET /next', 'end']],
    ['blank lines before a request line', `\r\n${get('/a')}`, ['start:GET /a', 'end']],
    ['a request still arriving', post('abcdef').slice(0, -2), ['start:POST /push']],
    ['something that is not HTTP', 'SSH-2.0-OpenSSH\r\n\r\n', ['opaque']],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', ['opaque']],
    ['an upgrade turns the rest opaque', `GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x05hello`, ['start:GET /ws', 'end', 'opaque']],
    ['an unframeable Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\nab' + get('/x'), ['start:POST /', 'opaque']],
    ['broken chunk syntax', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n' + get('/x'), ['start:POST /', 'opaque']],
  ])('frames %s, whatever the chunking', (_label, input, expected) => {
    for (const size of [1, 2, 3, 7, 64, 100_000]) expect(trace(feed(input, size))).toEqual(expected);
  });

  it('reports the head, its size and lower-cased headers', () => {
    const start = feed(post('abc'), 5).find((e) => e.type === 'request-start');
    expect(start?.type === 'request-start' && start.head).toMatchObject({
      method: 'POST',
      target: '/push',
      version: 'HTTP/1.1',
      headBytes: post('abc').length - 3,
    });
    expect(start?.type === 'request-start' && start.head.headers.get('content-length')).toBe('3');
  });
});
