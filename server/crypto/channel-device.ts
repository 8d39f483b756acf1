// Submissions that reach the server without a phone's own push (by SMS) are ingested as coming
// from one server-side device. Its id is fixed; its secret is random, made on first start next to
// the sealing keys (mode 0600), so nobody can pull the statuses of what came in by SMS. The
// resident's phone, which holds each submission's secret, links itself when it later pushes.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceCredentials } from '../repositories/devices.ts';

/** A valid ULID that no phone makes (time 0), ending in "SMS" so logs and tables say what it is. */
export const SMS_CHANNEL_DEVICE_ID = '00000000000000000000000SMS';
const SECRET_FILE = 'sms-device.secret';

export async function smsChannelDevice(keysDir: string): Promise<DeviceCredentials> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const path = join(keysDir, SECRET_FILE);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temp, randomBytes(24).toString('base64url'), { mode: 0o600 });
  try {
    await link(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  return { deviceId: SMS_CHANNEL_DEVICE_ID, secret: (await readFile(path, 'utf8')).trim() };
}
