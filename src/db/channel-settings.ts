// What the phone needs to use the offline channels with no signal: the server's current sealing
// key and the province's SMS number, fetched from GET /api/v1/keys whenever there is signal and
// kept in localStorage (public values; small; read synchronously when a screen opens). Officers'
// finalised submissions are sealed to the same key (src/db/outbox.ts).
import { API_PREFIX } from '../../core/protocol.ts';
import { keyIdOf, type SealingKey } from '../../core/sealed/seal.ts';
import { fromBase64Url, toBase64Url } from '../lib/base64.ts';

export const CHANNEL_SETTINGS_KEY = 'jangkau.channelSettings';

export interface ChannelSettings {
  key: SealingKey;
  smsNumber?: string;
  /** When they were fetched (ms since the epoch). */
  fetchedAt: number;
}

interface StoredSettings {
  kid: string;
  publicKey: string;
  smsNumber?: string;
  fetchedAt: number;
}

/** localStorage, or anything shaped like it (structural: the worker's types have no Storage). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The settings from the keys answer, or undefined when it is not one (or its key id is wrong). */
export async function parseKeysAnswer(body: unknown, now: number): Promise<ChannelSettings | undefined> {
  if (typeof body !== 'object' || body === null) return undefined;
  const { current, keys, smsNumber } = body as { current?: unknown; keys?: unknown; smsNumber?: unknown };
  if (typeof current !== 'string' || !Array.isArray(keys)) return undefined;
  const entry = (keys as { kid?: unknown; publicKey?: unknown }[]).find((k) => k.kid === current);
  const raw = typeof entry?.publicKey === 'string' ? fromBase64Url(entry.publicKey) : undefined;
  // The id is recomputed, so a damaged answer cannot make the phone seal to a key it misnames.
  if (!raw || raw.length !== 65 || (await keyIdOf(raw)) !== current) return undefined;
  return { key: { kid: current, raw }, ...(typeof smsNumber === 'string' && smsNumber ? { smsNumber } : {}), fetchedAt: now };
}

export function readChannelSettings(storage: KeyValueStore): ChannelSettings | undefined {
  try {
    const stored = JSON.parse(storage.getItem(CHANNEL_SETTINGS_KEY) ?? 'null') as StoredSettings | null;
    const raw = stored ? fromBase64Url(stored.publicKey) : undefined;
    if (!stored || !raw) return undefined;
    return { key: { kid: stored.kid, raw }, ...(stored.smsNumber ? { smsNumber: stored.smsNumber } : {}), fetchedAt: stored.fetchedAt };
  } catch {
    return undefined;
  }
}

/** The key this page kept (localStorage), if any: what an officer's finalised submission is sealed to. */
export function keptSealingKey(): SealingKey | undefined {
  try {
    const storage = (globalThis as { localStorage?: KeyValueStore }).localStorage;
    return storage ? readChannelSettings(storage)?.key : undefined;
  } catch {
    return undefined;
  }
}

function writeChannelSettings(storage: KeyValueStore, settings: ChannelSettings): void {
  const stored: StoredSettings = {
    kid: settings.key.kid,
    publicKey: toBase64Url(settings.key.raw),
    ...(settings.smsNumber ? { smsNumber: settings.smsNumber } : {}),
    fetchedAt: settings.fetchedAt,
  };
  try {
    storage.setItem(CHANNEL_SETTINGS_KEY, JSON.stringify(stored));
  } catch {
    // Storage full or refused: the settings last for this visit only.
  }
}

/**
 * Fetches the settings when there is signal and keeps them; without signal (or on any fault)
 * answers what was kept before, if anything.
 */
export async function refreshChannelSettings(
  fetchFn: typeof fetch,
  storage: KeyValueStore,
  now: number = Date.now(),
): Promise<ChannelSettings | undefined> {
  try {
    const response = await fetchFn(`${API_PREFIX}/keys`, { headers: { accept: 'application/json' } });
    if (response.ok) {
      const settings = await parseKeysAnswer(await response.json(), now);
      if (settings) {
        writeChannelSettings(storage, settings);
        return settings;
      }
    }
  } catch {
    // No signal: fall through to what was kept.
  }
  return readChannelSettings(storage);
}
