// The sealing key a phone caches for the offline channels (QR hand-off, SMS): read from
// GET /keys and checked the way the app checks it.
import type { FastifyInstance } from 'fastify';
import type { SealingKey } from '../../core/sealed/seal.ts';
import { parseKeysAnswer } from '../../src/db/channel-settings.ts';

export async function publishedKey(app: FastifyInstance): Promise<SealingKey> {
  const settings = await parseKeysAnswer((await app.inject({ url: '/api/v1/keys' })).json(), Date.now());
  if (!settings) throw new Error('GET /keys did not answer a usable key');
  return settings.key;
}
