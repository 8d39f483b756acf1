// Settings from the environment, shared by the server and the operator CLI so both always open
// the same database.
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { checkOutboundUrl, MIN_GATEWAY_SECRET_LENGTH } from './http/gateway-signature.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ServerConfig {
  port: number;
  host: string;
  /** Where the SQLite file lives (ignored with DATABASE_URL). */
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to use instead of the default search_path. */
  databaseSchema?: string;
  /** The built PWA; served only if it exists. */
  staticDir: string;
  /** The sealing keys (QR hand-off, SMS); DATA_DIR/keys unless KEYS_DIR says otherwise. */
  keysDir?: string;
  /** The key the SMS gateway signs webhook calls with (SMS_GATEWAY_INBOUND_SECRET); unset: webhook off. */
  smsInboundSecret?: string;
  /** The key the server signs status SMS with (SMS_GATEWAY_OUTBOUND_SECRET); never the inbound one. */
  smsOutboundSecret?: string;
  /** The province's number residents send SMS submissions to. */
  smsNumber?: string;
  /** Where status SMS are POSTed (SMS_GATEWAY_OUTBOUND_URL); unset: none are queued. */
  smsOutboundUrl?: string;
  /** Which proxies' X-Forwarded-For the server believes (TRUST_PROXY); false by default. */
  trustProxy: TrustProxy;
}

/**
 * TRUST_PROXY: off (the default: the TCP peer is the client), or the addresses or CIDR ranges of
 * the load balancers in front of the server, whose X-Forwarded-For is then believed. Neither "any
 * sender" nor a hop count is offered: with either, a client that reaches the server directly
 * could name any address in the header and escape its rate limits.
 */
export type TrustProxy = false | string[];

/** An IPv4 or IPv6 address, optionally with a prefix length: 10.0.0.5, 10.0.1.0/24, fd00::/8. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0' || value === 'off') return false;
  const list = value.split(',').map((a) => a.trim()).filter(Boolean);
  if (list.length === 0 || !list.every(isAddressOrRange)) {
    throw new Error(`TRUST_PROXY must be off, or the proxies' addresses or CIDR ranges separated by commas (e.g. 10.0.0.5,10.0.1.0/24); got ${value}`);
  }
  return list;
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be 0–65535, got ${raw}`);
  return port;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: parsePort(env.PORT),
    host: nonEmpty(env.HOST) ?? '0.0.0.0',
    dataDir: resolve(nonEmpty(env.DATA_DIR) ?? './data'),
    databaseUrl: nonEmpty(env.DATABASE_URL),
    databaseSchema: nonEmpty(env.DATABASE_SCHEMA),
    staticDir: resolve(nonEmpty(env.STATIC_DIR) ?? resolve(REPO_ROOT, 'dist')),
    keysDir: nonEmpty(env.KEYS_DIR) !== undefined ? resolve(nonEmpty(env.KEYS_DIR)!) : undefined,
    ...gatewaySecrets(env),
    smsNumber: nonEmpty(env.SMS_NUMBER),
    smsOutboundUrl: outboundUrl(env),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}

/**
 * The gateway's two secrets, one per direction (http/gateway-signature.ts): a leak of what the
 * server sends out must not let anyone deliver in. The old single SMS_GATEWAY_SECRET stops the
 * start with a pointer to the new names rather than being used for both.
 */
function gatewaySecrets(env: NodeJS.ProcessEnv): Pick<ServerConfig, 'smsInboundSecret' | 'smsOutboundSecret'> {
  if (nonEmpty(env.SMS_GATEWAY_SECRET) !== undefined) {
    throw new Error('SMS_GATEWAY_SECRET is replaced by SMS_GATEWAY_INBOUND_SECRET and SMS_GATEWAY_OUTBOUND_SECRET, two different secrets (docs/handoff.md)');
  }
  const smsInboundSecret = nonEmpty(env.SMS_GATEWAY_INBOUND_SECRET);
  const smsOutboundSecret = nonEmpty(env.SMS_GATEWAY_OUTBOUND_SECRET);
  for (const [name, value] of [['SMS_GATEWAY_INBOUND_SECRET', smsInboundSecret], ['SMS_GATEWAY_OUTBOUND_SECRET', smsOutboundSecret]] as const) {
    if (value !== undefined && value.length < MIN_GATEWAY_SECRET_LENGTH) throw new Error(`${name} must be at least ${MIN_GATEWAY_SECRET_LENGTH} characters`);
  }
  if (smsInboundSecret !== undefined && smsInboundSecret === smsOutboundSecret) {
    throw new Error('SMS_GATEWAY_INBOUND_SECRET and SMS_GATEWAY_OUTBOUND_SECRET must differ');
  }
  return { smsInboundSecret, smsOutboundSecret };
}

/** SMS_GATEWAY_OUTBOUND_URL, checked at start: https (http to loopback only), and the key to sign with. */
function outboundUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = nonEmpty(env.SMS_GATEWAY_OUTBOUND_URL);
  if (raw === undefined) return undefined;
  checkOutboundUrl(raw);
  if (nonEmpty(env.SMS_GATEWAY_OUTBOUND_SECRET) === undefined) throw new Error('SMS_GATEWAY_OUTBOUND_URL needs SMS_GATEWAY_OUTBOUND_SECRET (signs each status SMS)');
  return raw;
}

/** A database URL fit for logs: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
