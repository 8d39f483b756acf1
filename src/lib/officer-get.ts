// GET on the API with the officer's device token, for the screens that read office data online
// (KPIs, registers) and the files they download. Offline or a thrown fetch is a value, not an error.
import { API_PREFIX } from '../../core/protocol.ts';
import { getSession } from '../auth/session.ts';
import { db } from '../db/open-db.ts';

export type OfficerResult<T> = { kind: 'ok'; body: T } | { kind: 'offline' } | { kind: 'unauthorized' } | { kind: 'forbidden' } | { kind: 'failed' };

/** `path` below the API prefix, e.g. '/kpi/table?period=2026'. */
export async function officerGet(path: string, timeoutMs = 60_000): Promise<Response | 'offline'> {
  const token = (await getSession(db))?.token;
  try {
    return await fetch(`${API_PREFIX}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return 'offline';
  }
}

export function failureOf(res: Response | 'offline'): OfficerResult<never> {
  if (res === 'offline' || res.status >= 500) return { kind: 'offline' };
  if (res.status === 401) return { kind: 'unauthorized' };
  if (res.status === 403) return { kind: 'forbidden' };
  return { kind: 'failed' };
}

/** Hands a downloaded body to the browser as a file. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
