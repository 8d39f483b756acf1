// What a refused officer token means for the phone (issue #12 finding 4). The server answers a
// token an admin revoked (a lost or stolen phone), or whose account an admin disabled, with 401
// `token_revoked_wipe`; a logout elsewhere, a password change or reset keeps `token_revoked`, and an
// idle token `token_expired` (docs/sync-protocol.md). The sync and the screens see only "401", so
// on one the phone asks once more, with the stored token, why: on the wipe signal it erases the
// officer's data (wipe.ts), otherwise it keeps everything and asks for a new login.
import { API_PREFIX } from '../../core/protocol.ts';
import type { JangkauDb } from '../db/schema.ts';
import { getSession, markNeedsRelogin } from './session.ts';
import { wipeOfficerData } from './wipe.ts';

/** The server's 401 code for a token an admin revoked or whose account was disabled. */
export const WIPE_SIGNAL = 'token_revoked_wipe';

/** 'none': no officer session on the phone; 'login': keep everything, log in again; 'wiped'. */
export type RefusedTokenOutcome = 'none' | 'login' | 'wiped';

export interface ProbeOptions {
  /** Where the API lives; left out, this origin (page or service worker). */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** The 401 code the server gives the token now, or undefined (accepted, or no answer). */
async function refusalOf(token: string, options: ProbeOptions): Promise<string | undefined> {
  try {
    const res = await (options.fetch ?? fetch)(`${options.baseUrl ?? ''}${API_PREFIX}/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status !== 401) return undefined;
    const body = (await res.json()) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : '';
  } catch {
    return undefined;
  }
}

/**
 * After a 401 to the officer's token: wipes on the wipe signal, else marks the session for a new
 * login. A locked phone cannot open its token (sealed under the device key) and so never sent it:
 * nothing to ask until the unlock.
 */
export async function settleRefusedToken(db: JangkauDb, options: ProbeOptions = {}): Promise<RefusedTokenOutcome> {
  const session = await getSession(db);
  if (!session) return 'none';
  if (session.token !== undefined && (await refusalOf(session.token, options)) === WIPE_SIGNAL) {
    await wipeOfficerData(db);
    return 'wiped';
  }
  await markNeedsRelogin(db);
  return 'login';
}
