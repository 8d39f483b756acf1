// The offline channels' server side: the sealing keys (made on first start; officers' sealed
// pushes open with them too), GET /keys, the delivery of carried QR hand-offs and the SMS gateway webhook. Settings come from the environment unless a test passes them.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { readConfig } from '../config.ts';
import { keysRoute } from '../routes/keys.ts';
import { smsRoute } from '../routes/sms.ts';
import { handoffRoute } from '../routes/handoff.ts';
import { channelDevice } from './channel-device.ts';
import type { KeyEncryptionKey } from './kek.ts';
import { loadOrCreateServerKeys, type ServerKeyRing } from './server-keys.ts';

export interface HandoffOptions {
  /** Where the sealing keys live; KEYS_DIR or DATA_DIR/keys by default. */
  keysDir?: string;
  /** The key the SMS gateway signs webhook calls with (SMS_GATEWAY_INBOUND_SECRET); without it the webhook is off. */
  smsInboundSecret?: string;
  /** The province's SMS number (SMS_NUMBER), served to the app. */
  smsNumber?: string;
}

function keysDirOf(options: HandoffOptions): string {
  const config = readConfig();
  return options.keysDir ?? config.keysDir ?? join(config.dataDir, 'keys');
}

/** The sealing key ring, made on first start; loaded once per app for this plugin and the push route. */
export function loadSealingKeys(options: HandoffOptions, kek: KeyEncryptionKey): Promise<ServerKeyRing> {
  return loadOrCreateServerKeys(keysDirOf(options), kek);
}

export async function handoffPlugin(app: FastifyInstance, options: HandoffOptions & { ring: ServerKeyRing; kek: KeyEncryptionKey }): Promise<void> {
  const config = readConfig();
  const { ring } = options;
  await app.register(keysRoute, { ring, smsNumber: options.smsNumber ?? config.smsNumber });
  await app.register(handoffRoute, { ring, device: channelDevice('handoff') });
  await app.register(smsRoute, {
    ring,
    device: channelDevice('sms'),
    inboundSecret: options.smsInboundSecret ?? config.smsInboundSecret,
  });
}
