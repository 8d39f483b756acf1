// Submissions that reach the server without their own phone's push (by SMS, or carried by an
// officer's phone as a sealed QR hand-off) are ingested as coming from a server-side device, one
// per channel. Its id is fixed; its secret is random, made on first start next to the sealing
// keys (mode 0600, wrapped by the KEK like them), so nobody can pull the statuses of what came in that way, and the carrier
// (the gateway, the officer's phone) never follows the resident's request. The resident's phone,
// which holds each submission's secret, links itself when it later pushes.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceCredentials } from '../repositories/devices.ts';
import { isWrappedFileContent, openWrappedFileContent, wrappedFileContent, type KeyEncryptionKey } from './kek.ts';
import { CHANNEL_SECRET_SUFFIX } from './server-keys.ts';

/** Valid ULIDs that no phone makes (time 0), ending in the channel's name for logs and tables. */
export const CHANNEL_DEVICE_IDS = {
  sms: '00000000000000000000000SMS',
  handoff: '0000000000000000000000HAND',
} as const;
export type Channel = keyof typeof CHANNEL_DEVICE_IDS;

export async function channelDevice(keysDir: string, channel: Channel, kek: KeyEncryptionKey): Promise<DeviceCredentials> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const name = `${channel}${CHANNEL_SECRET_SUFFIX}`;
  const path = join(keysDir, name);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, wrappedFileContent(kek, randomBytes(24).toString('base64url'), name), { mode: 0o600 });
  try {
    // Two processes starting together: the first link wins and both read the same secret.
    await link(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const content = await readFile(path, 'utf8');
  if (isWrappedFileContent(content)) return { deviceId: CHANNEL_DEVICE_IDS[channel], secret: openWrappedFileContent(kek, content, name) };
  // A secret from before wrapping: wrapped now, in one rename.
  const secret = content.trim();
  const rewrap = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(rewrap, wrappedFileContent(kek, secret, name), { mode: 0o600 });
  await rename(rewrap, path);
  return { deviceId: CHANNEL_DEVICE_IDS[channel], secret };
}
