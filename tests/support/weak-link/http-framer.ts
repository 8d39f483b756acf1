// Finds where HTTP/1.x requests start and end in a client's byte stream, so the proxy can apply
// a fault to one request of a keep-alive connection. It reads only what framing needs: the
// request line, Content-Length and Transfer-Encoding: chunked. It never changes bytes; whatever
// it cannot frame (not HTTP, an upgraded connection, broken framing) becomes "opaque" and is
// forwarded untouched with no further request detection on that connection.

export interface RequestHead {
  readonly method: string;
  readonly target: string;
  readonly version: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  /** Size of the head on the wire, up to and including the blank line. */
  readonly headBytes: number;
}

export type FramerEvent =
  | { readonly type: 'request-start'; readonly head: RequestHead }
  /** Bytes of the open request (head first, then body), in order. */
  | { readonly type: 'data'; readonly bytes: Buffer }
  | { readonly type: 'request-end' }
  /** Bytes the framer cannot attribute to a framed request. */
  | { readonly type: 'opaque'; readonly bytes: Buffer };

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const CR = 0x0d;
const LF = 0x0a;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP\/1\.[01])$/;
const HEX_SIZE = /^[0-9a-fA-F]{1,12}$/;

type BodyState =
  | { kind: 'fixed'; remaining: number }
  | { kind: 'chunk-size'; line: string }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-crlf'; remaining: number }
  | { kind: 'trailer'; line: string };

type Framing = { kind: 'length'; bytes: number } | { kind: 'chunked' } | { kind: 'unframeable' };

function parseHead(text: string): Omit<RequestHead, 'headBytes'> | undefined {
  const lines = text.split('\r\n');
  const match = REQUEST_LINE.exec(lines[0] ?? '');
  if (match === null) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return { method: match[1] ?? '', target: match[2] ?? '', version: match[3] ?? '', headers };
}

/** RFC 9112 §6.3, request side: chunked wins over Content-Length; neither means no body. */
function bodyFraming(headers: ReadonlyMap<string, string>): Framing {
  const transferEncoding = headers.get('transfer-encoding');
  if (transferEncoding !== undefined) {
    const codings = transferEncoding.split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
    return codings.at(-1) === 'chunked' ? { kind: 'chunked' } : { kind: 'unframeable' };
  }
  const contentLength = headers.get('content-length');
  if (contentLength === undefined) return { kind: 'length', bytes: 0 };
  const values = new Set(contentLength.split(',').map((v) => v.trim()));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^\d{1,15}$/.test(only)) return { kind: 'unframeable' };
  return { kind: 'length', bytes: Number(only) };
}

function switchesProtocol(head: Omit<RequestHead, 'headBytes'>): boolean {
  if (head.method === 'CONNECT') return true;
  const connection = (head.headers.get('connection') ?? '').toLowerCase();
  return head.headers.has('upgrade') && connection.split(',').some((t) => t.trim() === 'upgrade');
}

function leadingNewlines(buffer: Buffer): number {
  let i = 0;
  while (i < buffer.length && (buffer[i] === CR || buffer[i] === LF)) i += 1;
  return i;
}

export class HttpRequestFramer {
  private mode: 'head' | 'body' | 'opaque' = 'head';
  private pendingHead: Buffer = Buffer.alloc(0);
  private body: BodyState = { kind: 'fixed', remaining: 0 };
  private opaqueAfterRequest = false;

  /** Feeds the next bytes of the stream; the returned events cover every byte exactly once. */
  push(chunk: Buffer): FramerEvent[] {
    const events: FramerEvent[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.mode === 'opaque') {
        events.push({ type: 'opaque', bytes: chunk.subarray(i) });
        break;
      }
      i = this.mode === 'head' ? this.readHead(chunk, i, events) : this.readBody(chunk, i, events);
    }
    return events;
  }

  private giveUp(bytes: Buffer, events: FramerEvent[]): void {
    this.mode = 'opaque';
    this.pendingHead = Buffer.alloc(0);
    if (bytes.length > 0) events.push({ type: 'opaque', bytes });
  }

  private readHead(chunk: Buffer, from: number, events: FramerEvent[]): number {
    const before = this.pendingHead.length;
    const buffer = before === 0 ? chunk.subarray(from) : Buffer.concat([this.pendingHead, chunk.subarray(from)]);
    // Blank lines before a request line are allowed (RFC 9112 §2.2); they travel with the head.
    const start = leadingNewlines(buffer);
    const end = buffer.indexOf('\r\n\r\n', Math.max(start, before - 3));
    if (end < 0) {
      const firstLineEnd = buffer.indexOf('\r\n', start);
      const badFirstLine =
        firstLineEnd >= 0
          ? !REQUEST_LINE.test(buffer.subarray(start, firstLineEnd).toString('latin1'))
          : buffer.length - start > MAX_LINE_BYTES;
      if (badFirstLine || buffer.length > MAX_HEAD_BYTES) this.giveUp(buffer, events);
      else this.pendingHead = buffer;
      return chunk.length;
    }
    const headEnd = end + 4;
    const consumed = from + headEnd - before;
    const headBytes = buffer.subarray(0, headEnd);
    this.pendingHead = Buffer.alloc(0);
    const parsed = parseHead(buffer.subarray(start, end).toString('latin1'));
    if (parsed === undefined) {
      this.giveUp(headBytes, events);
      return consumed;
    }
    events.push({ type: 'request-start', head: { ...parsed, headBytes: headEnd } });
    events.push({ type: 'data', bytes: headBytes });
    this.opaqueAfterRequest = switchesProtocol(parsed);
    const framing = bodyFraming(parsed.headers);
    if (framing.kind === 'unframeable') {
      // The request stays open forever: its end cannot be known.
      this.mode = 'opaque';
    } else if (framing.kind === 'chunked') {
      this.mode = 'body';
      this.body = { kind: 'chunk-size', line: '' };
    } else if (framing.bytes === 0) {
      this.finishRequest(events);
    } else {
      this.mode = 'body';
      this.body = { kind: 'fixed', remaining: framing.bytes };
    }
    return consumed;
  }

  private finishRequest(events: FramerEvent[]): void {
    events.push({ type: 'request-end' });
    this.mode = this.opaqueAfterRequest ? 'opaque' : 'head';
  }

  private readBody(chunk: Buffer, from: number, events: FramerEvent[]): number {
    let p = from;
    const emitData = (): void => {
      if (p > from) events.push({ type: 'data', bytes: chunk.subarray(from, p) });
    };
    while (p < chunk.length) {
      const state = this.body;
      if (state.kind === 'fixed' || state.kind === 'chunk-data') {
        const n = Math.min(state.remaining, chunk.length - p);
        p += n;
        state.remaining -= n;
        if (state.remaining > 0) continue;
        if (state.kind === 'chunk-data') {
          this.body = { kind: 'chunk-crlf', remaining: 2 };
          continue;
        }
        emitData();
        this.finishRequest(events);
        return p;
      }
      const byte = chunk[p] ?? 0;
      p += 1;
      if (state.kind === 'chunk-crlf') {
        state.remaining -= 1;
        if (state.remaining === 0) this.body = { kind: 'chunk-size', line: '' };
        continue;
      }
      if (byte !== LF) {
        state.line += String.fromCharCode(byte);
        if (state.line.length > MAX_LINE_BYTES) {
          emitData();
          this.mode = 'opaque';
          return p;
        }
        continue;
      }
      const line = state.line.endsWith('\r') ? state.line.slice(0, -1) : state.line;
      if (state.kind === 'trailer') {
        if (line === '') {
          emitData();
          this.finishRequest(events);
          return p;
        }
        state.line = '';
        continue;
      }
      // chunk-size line: hex size, optionally followed by ";extensions".
      const size = (line.split(';')[0] ?? '').trim();
      if (!HEX_SIZE.test(size)) {
        emitData();
        this.mode = 'opaque';
        return p;
      }
      const n = parseInt(size, 16);
      this.body = n === 0 ? { kind: 'trailer', line: '' } : { kind: 'chunk-data', remaining: n };
    }
    emitData();
    return p;
  }
}
