// Signed calls between the server and the SMS gateway, both ways: HMAC-SHA256 over
// `<unix seconds>.<raw body>`, sent as X-Jangkau-Timestamp and X-Jangkau-Signature: v1=<hex>. No
// secret ever travels; each direction has its own secret (SMS_GATEWAY_INBOUND_SECRET for the
// webhook, SMS_GATEWAY_OUTBOUND_SECRET for status SMS), so what the server sends out cannot be
// turned into a delivery in. A call whose timestamp is further than the window from the clock is
// refused, so a captured call cannot be replayed later; a replay inside the window carries the
// same gateway id and submission and is answered as a duplicate (routes/sms.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const GATEWAY_TIMESTAMP_HEADER = 'x-jangkau-timestamp';
export const GATEWAY_SIGNATURE_HEADER = 'x-jangkau-signature';
/** How far a call's timestamp may be from the receiver's clock, either way. */
export const GATEWAY_WINDOW_S = 300;
/** A secret shorter than this is refused at start: it is the only thing that signs a delivery. */
export const MIN_GATEWAY_SECRET_LENGTH = 24;

export function gatewaySignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** The headers that sign `body` as sent at `now`. */
export function signedGatewayHeaders(secret: string, body: string, now: Date): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { [GATEWAY_TIMESTAMP_HEADER]: String(timestamp), [GATEWAY_SIGNATURE_HEADER]: gatewaySignature(secret, timestamp, body) };
}

export type GatewayCheck = { ok: true } | { ok: false; reason: 'unsigned' | 'stale' | 'bad_signature' };

/** The timestamp alone: checked before the body is read, so stale or unsigned calls cost nothing. */
export function checkGatewayTimestamp(timestamp: unknown, now: Date): GatewayCheck {
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'unsigned' };
  return Math.abs(Number(timestamp) - now.getTime() / 1000) <= GATEWAY_WINDOW_S ? { ok: true } : { ok: false, reason: 'stale' };
}

export function checkGatewaySignature(secret: string, headers: Record<string, unknown>, body: string, now: Date): GatewayCheck {
  const timestamp = headers[GATEWAY_TIMESTAMP_HEADER];
  const fresh = checkGatewayTimestamp(timestamp, now);
  if (!fresh.ok) return fresh;
  const sent = headers[GATEWAY_SIGNATURE_HEADER];
  if (typeof sent !== 'string') return { ok: false, reason: 'unsigned' };
  const expected = Buffer.from(gatewaySignature(secret, Number(timestamp), body), 'utf8');
  const given = Buffer.from(sent, 'utf8');
  // Same length first (the expected length is public), then a constant-time comparison.
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The status-SMS URL: https, so numbers, texts and the signature are not readable or changeable on
 * the way; plain http only to this machine (a gateway daemon beside the server, or a test's).
 */
export function checkOutboundUrl(raw: string, name = 'SMS_GATEWAY_OUTBOUND_URL'): string {
  if (!URL.canParse(raw)) throw new Error(`${name} must be an https URL`);
  const url = new URL(raw);
  if (url.protocol === 'https:') return raw;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return raw;
  throw new Error(`${name} must be an https URL (plain http only to 127.0.0.1 or ::1)`);
}
