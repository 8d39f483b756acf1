// The officer session on the device: what the sync engine sends as the credential, and that a
// refused token or a logout keeps the device's work.
import { describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { officerOrDeviceAuth } from '../../../src/auth/officer-auth.ts';
import { holdOfficerRowsUntilLogin, maySendRow } from '../../../src/auth/send-gate.ts';
import { clearSession, getSession, markNeedsRelogin, saveSession, type OfficerSession } from '../../../src/auth/session.ts';
import { listQueued, submitDraft } from '../../../src/db/outbox.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { PPID, validPpid } from '../db/test-db.ts';

const SESSION: OfficerSession = {
  token: 'jkt_example-device-token-0123456789',
  deviceId: ulid(),
  account: { id: ulid(), username: 'pantarlih1', role: 'pantarlih', scope: '19.01.01.1001', displayName: 'Uji' },
  loggedInAt: Date.parse('2026-12-01T00:00:00Z'),
};

describe('officer session', () => {
  it('sends the device token while logged in, the device credential otherwise', async () => {
    const db = new JangkauDb(`session-${ulid()}`);
    const auth = officerOrDeviceAuth(db);
    expect(await auth()).toMatch(/^Device [0-9A-HJKMNP-TV-Z]{26}\./);
    await saveSession(db, SESSION);
    expect(await auth()).toBe(`Bearer ${SESSION.token}`);
    // Refused by the server: still sent (the answer stays 401 and the queue waits for a login).
    await markNeedsRelogin(db);
    expect(await getSession(db)).toMatchObject({ needsRelogin: true, token: SESSION.token });
    expect(await auth()).toBe(`Bearer ${SESSION.token}`);
    await clearSession(db);
    expect(await auth()).toMatch(/^Device /);
  });

  it("logging out keeps the queue; on a PIN device the officer's rows wait for the next login, a resident's go", async () => {
    const db = new JangkauDb(`session-${ulid()}`);
    await saveSession(db, SESSION);
    await submitDraft(db, PPID, ulid(), validPpid());
    await clearSession(db);
    const [row] = await listQueued(db);
    expect(row).toBeDefined();
    expect(maySendRow(row!, true)).toBe(true);
    holdOfficerRowsUntilLogin(true);
    try {
      expect(maySendRow(row!, true)).toBe(false);
      expect(maySendRow(row!, false)).toBe(true);
    } finally {
      holdOfficerRowsUntilLogin(false);
    }
  });
});
