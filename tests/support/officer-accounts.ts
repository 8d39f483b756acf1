// Officer accounts on a server process, for browser tests and the screenshot script: the first
// province admin through the CLI (as an operator makes it), further accounts through the admin
// API, and a login on a phone through the app's own screens (password, then a new PIN).
import type { Page } from 'playwright-core';
import type { Role } from '../../core/auth/roles.ts';
import { runCli, type ServerProcess } from './server-process.ts';

export const OFFICER_PASSWORD = 'kata-sandi-uji-2026';
export const OFFICER_PIN = '274915';

export interface NewOfficer {
  username: string;
  role: Role;
  scope: string;
  displayName: string;
}

/** Logs `username` in through the API, as a script does, and gives the token. */
export async function apiToken(server: ServerProcess, username: string): Promise<string> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: OFFICER_PASSWORD, deviceLabel: 'skrip uji' }),
  });
  if (!login.ok) throw new Error(`${username} login answered ${login.status}`);
  return ((await login.json()) as { token: string }).token;
}

/**
 * Makes the admin `admin` (once per server) and then each account; resolves when all exist, to
 * the new accounts' ids by username.
 */
export async function createOfficers(server: ServerProcess, officers: readonly NewOfficer[]): Promise<Record<string, string>> {
  const made = await runCli(['create-admin', 'admin'], { DATA_DIR: server.dataDir, JANGKAU_ADMIN_PASSWORD: OFFICER_PASSWORD });
  if (made.code !== 0) throw new Error(`create-admin exited ${made.code}: ${made.stderr}`);
  const token = await apiToken(server, 'admin');
  const ids: Record<string, string> = {};
  for (const officer of officers) {
    const res = await fetch(`${server.url}/api/v1/admin/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ ...officer, password: OFFICER_PASSWORD }),
    });
    if (!res.ok) throw new Error(`creating ${officer.username} answered ${res.status}: ${await res.text()}`);
    ids[officer.username] = ((await res.json()) as { id: string }).id;
  }
  return ids;
}

/** Logs `username` in on the phone at `baseUrl` (online) and sets its PIN, as an officer does once. */
export async function logInOnPhone(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/#/petugas`);
  await page.getByRole('heading', { level: 1, name: 'Petugas' }).waitFor();
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(OFFICER_PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByRole('heading', { level: 1, name: 'Buat PIN' }).waitFor();
  await page.getByLabel('PIN (6 angka)').fill(OFFICER_PIN);
  await page.getByLabel('Ulangi PIN').fill(OFFICER_PIN);
  await page.getByRole('button', { name: 'Simpan PIN' }).click();
  await page.getByTestId('officer-account').waitFor();
}
