// Backup and restore of the SQLite default, the way the province's IT person runs them: the real
// server process keeps taking pushes from devices while `jangkau backup` runs as a separate
// process; then the server stops, the data directory is lost, `jangkau restore` brings the backup
// back and the server starts again. Everything acknowledged before the backup began must be there
// exactly once with its payload; what was acknowledged later is the documented loss (the RPO),
// and a device that retries such an item gets it accepted again.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openBytes } from '../../server/crypto/kek.ts';
import { generateBackupKeyPair, readEncryptedBackup, readIdentity } from '../../server/ops/backup-crypto.ts';
import { BACKUP_DB_ENTRY } from '../../server/ops/backup.ts';
import { payloadAad } from '../../server/repositories/submission-fields.ts';
import { testKek } from '../support/test-kek.ts';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import { makeHandoffBundle } from '../../core/handoff/handoff-bundle.ts';
import { packFieldsOf } from '../../core/sealed/form-fields.ts';
import { canonicalJson } from '../../core/hash.ts';
import { MAX_ITEMS_PER_PUSH, type PullResponse, type PushResponse, type SubmissionEnvelope } from '../../core/protocol.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { MARKER_DIR_NAME } from '../../server/ops/server-marker.ts';
import { sampleAnswers } from '../support/form-filler.ts';
import { countSubmissions } from '../support/server-db.ts';
import { answerRequest, runCli, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { envelope, newDevice, type TestDevice } from './helpers.ts';

/** SQLite even when the environment names a PostgreSQL database. */
const SQLITE_ENV: NodeJS.ProcessEnv = { DATABASE_URL: '' };

// The backup key pair every CLI run here uses (inherited through the environment): backups are
// encrypted to the recipient, restores open them with the identity.
const BACKUP_KEYS = mkdtempSync(join(tmpdir(), 'jangkau-backup-keys-'));
const BACKUP_PAIR = generateBackupKeyPair();
writeFileSync(join(BACKUP_KEYS, 'recipient.pem'), BACKUP_PAIR.publicPem);
writeFileSync(join(BACKUP_KEYS, 'identity.pem'), BACKUP_PAIR.privatePem, { mode: 0o600 });
process.env.BACKUP_RECIPIENT_FILE = join(BACKUP_KEYS, 'recipient.pem');
process.env.BACKUP_IDENTITY_FILE = join(BACKUP_KEYS, 'identity.pem');
afterAll(() => rmSync(BACKUP_KEYS, { recursive: true, force: true }));



async function push(url: string, device: TestDevice, items: SubmissionEnvelope[]): Promise<PushResponse> {
  const res = await fetch(`${url}/api/v1/push`, {
    method: 'POST',
    headers: { authorization: device.authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  if (res.status !== 200) throw new Error(`push answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as PushResponse;
}

interface SentBatch {
  device: TestDevice;
  items: SubmissionEnvelope[];
  sentAt: number;
  ackedAt: number;
  receivedAt: Map<string, string>;
}

interface StoredRow {
  id: string;
  form_id: string;
  form_version: number;
  created_at: string;
  received_at: string;
  payload_json: string;
}

/** The answers of a stored row, opened with the test KEK (they are encrypted at rest). */
function openPayloadSync(db: Database.Database, id: string, stored: string): string {
  const [, dekId = '', body = ''] = stored.split('.');
  const { wrapped } = db.prepare('select wrapped from data_keys where id = ?').get(dekId) as { wrapped: string };
  const key = testKek().unwrap(Buffer.from(wrapped, 'base64'), `dek:${dekId}`);
  return openBytes(key, Buffer.from(body, 'base64url'), payloadAad(id)).toString('utf8');
}

function readStored(dataDir: string): Map<string, StoredRow> {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('select id, form_id, form_version, created_at, received_at, payload_json from submissions')
      .all() as StoredRow[];
    return new Map(rows.map((r) => [r.id, { ...r, payload_json: openPayloadSync(db, r.id, r.payload_json) }]));
  } finally {
    db.close();
  }
}

/** Each device re-sends everything it sent, its whole queue in one push, as after a restart. */
async function retryAll(url: string, batches: readonly SentBatch[]): Promise<Map<string, { outcome: string; receivedAt?: string }>> {
  const byDevice = new Map<TestDevice, SubmissionEnvelope[]>();
  for (const batch of batches) byDevice.set(batch.device, [...(byDevice.get(batch.device) ?? []), ...batch.items]);
  const answers = new Map<string, { outcome: string; receivedAt?: string }>();
  await Promise.all(
    [...byDevice].map(async ([device, items]) => {
      for (let i = 0; i < items.length; i += MAX_ITEMS_PER_PUSH) {
        const res = await push(url, device, items.slice(i, i + MAX_ITEMS_PER_PUSH));
        for (const r of res.results) answers.set(r.id, { outcome: r.outcome, receivedAt: r.receivedAt });
      }
    }),
  );
  return answers;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function serverOn(dataDir: string): Promise<ServerProcess> {
  const server = await startServerProcess({ dataDir, env: SQLITE_ENV });
  cleanup.push(() => server.stop());
  return server;
}

// Every test starts real processes (server, CLI); a loaded CI machine needs more than the default.
describe('backup and restore (SQLite, real server and CLI processes)', { timeout: 90_000 }, () => {
  it('backs up online under continuous pushes and restores every submission acknowledged before the backup', async () => {
    const dataDir = tempDir('jangkau-data-');
    const backupFile = join(tempDir('jangkau-backups-'), 'jangkau-backup.sqlite');
    let server = await serverOn(dataDir);
    const data = sampleAnswers(ppidPermohonanV1);

    // Devices push small batches back to back, as phones coming into signal do.
    const devices = Array.from({ length: 4 }, () => newDevice());
    const batches: SentBatch[] = [];
    let stopPushing = false;
    const loops = devices.map(async (device) => {
      while (!stopPushing) {
        const items = Array.from({ length: 8 }, () => envelope({ data }));
        const sentAt = Date.now();
        const res = await push(server.url, device, items);
        const ackedAt = Date.now();
        const receivedAt = new Map<string, string>();
        for (const r of res.results) {
          if (r.outcome !== 'accepted' || r.receivedAt === undefined) throw new Error(`unexpected answer ${JSON.stringify(r)}`);
          receivedAt.set(r.id, r.receivedAt);
        }
        batches.push({ device, items, sentAt, ackedAt, receivedAt });
      }
    });
    const loopsDone = Promise.all(loops);
    const waitFor = async (done: () => boolean) => {
      while (!done()) {
        await Promise.race([new Promise((r) => setTimeout(r, 20)), loopsDone]);
        if (stopPushing) {
          await loopsDone;
          throw new Error('push loop stopped early');
        }
      }
    };
    loopsDone.catch(() => {
      stopPushing = true;
    });

    await waitFor(() => batches.length >= 25);
    // Batches are recorded in the order their answers arrived: these were all acknowledged
    // before the backup process was even started.
    const before = batches.slice();
    const backupStartedAt = Date.now();
    const backup = await runCli(['backup', backupFile], { DATA_DIR: dataDir });
    const backupEndedAt = Date.now();
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/integrity ok/);
    expect(backup.stdout).toMatch(/submissions \d+/);
    expect(backup.stdout).not.toContain(String(data.nama));
    expect(backup.stdout).not.toContain(String(data.nik));
    // Keep pushing after the backup: these items are acknowledged and then lost by the restore.
    await waitFor(() => batches.filter((b) => b.sentAt > backupEndedAt).length >= 8);
    stopPushing = true;
    await loopsDone;

    const duringBackup = batches.filter((b) => b.ackedAt > backupStartedAt && b.sentAt < backupEndedAt);
    expect(duringBackup.length, 'the server took pushes while the backup ran').toBeGreaterThan(0);
    const after = batches.filter((b) => b.sentAt > backupEndedAt);
    console.log(
      `${batches.length} batches of 8: ${before.length} acknowledged before the backup, ${duringBackup.length} during it ` +
        `(${backupEndedAt - backupStartedAt} ms), ${after.length} sent after it`,
    );

    // A device that pulled after the backup holds a cursor the restored change log never reached.
    const follower = devices[0]!;
    let cursor = '0';
    for (let more = true; more; ) {
      const page = (await (
        await fetch(`${server.url}/api/v1/changes?since=${cursor}&limit=1000`, { headers: { authorization: follower.authorization } })
      ).json()) as PullResponse;
      cursor = page.cursor;
      more = page.more;
    }

    await server.stop();
    expect(server.child.exitCode).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });

    const restore = await runCli(['restore', backupFile], { DATA_DIR: dataDir });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/integrity ok/);

    const stored = readStored(dataDir);
    for (const batch of before) {
      for (const item of batch.items) {
        const row = stored.get(item.id);
        expect(row, `acknowledged before the backup: ${item.id}`).toBeDefined();
        expect(row).toEqual({
          id: item.id,
          form_id: item.formId,
          form_version: item.formVersion,
          created_at: item.createdAt,
          received_at: batch.receivedAt.get(item.id),
          payload_json: canonicalJson(item.data),
        });
      }
    }
    for (const batch of after) for (const item of batch.items) expect(stored.has(item.id), 'sent after the backup ended').toBe(false);
    const everySent = new Set(batches.flatMap((b) => b.items.map((i) => i.id)));
    expect([...stored.keys()].filter((id) => !everySent.has(id))).toEqual([]);

    server = await serverOn(dataDir);
    // Devices retry: what the backup holds is a duplicate with its original acknowledgement; what
    // the restore lost is accepted again, and from then on is a duplicate like any other.
    const retried = await retryAll(server.url, batches);
    for (const batch of batches) {
      for (const item of batch.items) {
        const answer = retried.get(item.id);
        if (stored.has(item.id)) {
          expect(answer).toEqual({ outcome: 'duplicate', receivedAt: batch.receivedAt.get(item.id) });
        } else {
          expect(answer?.outcome, item.id).toBe('accepted');
        }
      }
    }
    const again = await retryAll(server.url, batches);
    expect([...again.values()].filter((a) => a.outcome !== 'duplicate')).toEqual([]);
    expect(countSubmissions(dataDir)).toBe(everySent.size);

    // An answer given after the restore reaches the device that pulled past the backup's last change.
    const followed = before.find((b) => b.device === follower)?.items[0];
    expect(followed).toBeDefined();
    await answerRequest(dataDir, followed!.id, 'selesai', 'Informasi terlampir.', SQLITE_ENV);
    const pulled = (await (
      await fetch(`${server.url}/api/v1/changes?since=${cursor}&limit=1000`, { headers: { authorization: follower.authorization } })
    ).json()) as PullResponse;
    expect(pulled.changes.filter((c) => c.submissionId === followed!.id).map((c) => c.status)).toEqual(['selesai']);

    const health = await fetch(`${server.url}/api/v1/health`);
    expect(health.status).toBe(200);
  });

  it('carries the sealing keys: a hand-off sealed before the backup still opens after a restore onto an empty disk', async () => {
    const dataDir = tempDir('jangkau-data-');
    const backupFile = join(tempDir('jangkau-backups-'), 'jangkau-backup.sqlite');
    let server = await serverOn(dataDir);
    // The officer's phone is known to the server (it pushed before); the resident's request is
    // sealed to the key the app cached, and still in transit when the disk is lost.
    const carrier = newDevice();
    await push(server.url, carrier, [envelope()]);
    const keys = (await (await fetch(`${server.url}/api/v1/keys`)).json()) as { current: string; keys: { kid: string; publicKey: string }[] };
    const publicKey = keys.keys.find((k) => k.kid === keys.current)!;
    const resident = envelope();
    const bundle = await makeHandoffBundle(
      { kid: publicKey.kid, raw: new Uint8Array(Buffer.from(publicKey.publicKey, 'base64url')) },
      resident,
      packFieldsOf(ppidPermohonanV1),
    );

    const backup = await runCli(['backup', backupFile], { DATA_DIR: dataDir });
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/sealing keys inside \(\d+ files, still wrapped by the KEK\)/);
    // Nothing is copied beside the backup; the keys travel inside it, encrypted.
    expect(existsSync(`${backupFile}.keys`)).toBe(false);
    const opened = tempDir('jangkau-opened-');
    const entries = readEncryptedBackup(backupFile, readIdentity(process.env.BACKUP_IDENTITY_FILE!), join(opened, 'x'));
    const copied = entries.filter((e) => e.name.startsWith('keys/')).map((e) => e.name.slice('keys/'.length)).sort();
    expect(copied).toEqual(readdirSync(join(dataDir, 'keys')).sort());
    const keptKeys = new Map(copied.map((name) => [name, readFileSync(join(dataDir, 'keys', name))]));

    // The whole data directory is lost, keys included; the restore brings both back.
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    const restore = await runCli(['restore', backupFile], { DATA_DIR: dataDir });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/Sealing keys restored into/);
    for (const name of copied) expect(readFileSync(join(dataDir, 'keys', name)).equals(keptKeys.get(name)!), name).toBe(true);

    server = await serverOn(dataDir);
    const delivered = await fetch(`${server.url}/api/v1/handoff`, {
      method: 'POST',
      headers: { authorization: carrier.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ bundles: [Buffer.from(bundle).toString('base64url')] }),
    });
    expect(delivered.status).toBe(200);
    const answer = (await delivered.json()) as PushResponse;
    expect(answer.results.map((r) => r.outcome)).toEqual(['accepted']);
    expect(countSubmissions(dataDir, resident.id)).toBe(1);
  });

  it('refuses both commands when DATABASE_URL names PostgreSQL, pointing to pg_dump', async () => {
    const dataDir = tempDir('jangkau-data-');
    const target = join(tempDir('jangkau-backups-'), 'b.sqlite');
    const env = { DATA_DIR: dataDir, DATABASE_URL: 'postgres://jangkau@127.0.0.1:1/jangkau' };
    const commands = [['backup', target], ['restore', target]];
    const runs = await Promise.all(commands.map((args) => runCli(args, env)));
    for (const [i, args] of commands.entries()) {
      const run = runs[i]!;
      expect(run.code, args[0]).toBe(1);
      expect(run.stderr, args[0]).toMatch(/PostgreSQL/);
      expect(run.stderr, args[0]).toMatch(/pg_dump/);
    }
    expect(readdirSync(dataDir)).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses to restore under a running server unless --force; a marker left by a crash does not block', async () => {
    const dataDir = tempDir('jangkau-data-');
    const backupFile = join(tempDir('jangkau-backups-'), 'b.sqlite');
    const server = await serverOn(dataDir);
    const kept = envelope();
    await push(server.url, newDevice(), [kept]);
    expect((await runCli(['backup', backupFile], { DATA_DIR: dataDir })).code).toBe(0);
    const later = envelope();
    await push(server.url, newDevice(), [later]);

    const refused = await runCli(['restore', backupFile], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/server is running/);
    expect(refused.stderr).toContain(`pid ${server.child.pid}`);
    expect(readdirSync(dataDir).filter((f) => f.includes('before-restore') || f.includes('restoring'))).toEqual([]);
    expect(countSubmissions(dataDir, later.id)).toBe(1);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);

    // A crashed server leaves its marker behind; its process is gone, so restore goes ahead.
    await server.kill('SIGKILL');
    expect(readdirSync(join(dataDir, MARKER_DIR_NAME))).toEqual([`${server.child.pid}.json`]);
    const restored = await runCli(['restore', backupFile], { DATA_DIR: dataDir });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(countSubmissions(dataDir, kept.id)).toBe(1);
    expect(countSubmissions(dataDir, later.id)).toBe(0);
    expect(readdirSync(join(dataDir, MARKER_DIR_NAME))).toEqual([]);

    // The replaced database is kept with everything it held (its WAL folded in), so a restore can be undone.
    const keptFiles = readdirSync(dataDir).filter((f) => f.startsWith(`${SQLITE_FILE_NAME}.before-restore-`));
    expect(keptFiles).toHaveLength(1);
    const undoDir = tempDir('jangkau-undo-');
    copyFileSync(join(dataDir, keptFiles[0]!), join(undoDir, SQLITE_FILE_NAME));
    expect(countSubmissions(undoDir, later.id)).toBe(1);

    // With --force the restore proceeds under a live server, and says what that means.
    const second = await serverOn(dataDir);
    const forced = await runCli(['restore', '--force', backupFile], { DATA_DIR: dataDir });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/WARNING: --force/);
    await second.stop();
  });

  it('refuses a damaged backup, a non-database and a backup from a newer release, leaving the database untouched', async () => {
    const dataDir = tempDir('jangkau-data-');
    const backups = tempDir('jangkau-backups-');
    const good = join(backups, 'good.sqlite');
    const server = await serverOn(dataDir);
    const item = envelope();
    await push(server.url, newDevice(), [item]);
    const made = await runCli(['backup', good], { DATA_DIR: dataDir });
    expect(made.code).toBe(0);
    await server.stop();

    const truncated = join(backups, 'truncated.sqlite');
    copyFileSync(good, truncated);
    truncateSync(truncated, Math.floor(statSync(good).size / 2));
    const garbage = join(backups, 'garbage.sqlite');
    writeFileSync(garbage, Buffer.alloc(64 * 1024, 0x5a));
    const newer = join(backups, 'newer.sqlite');
    const opened = readEncryptedBackup(good, readIdentity(process.env.BACKUP_IDENTITY_FILE!), join(backups, 'opened'));
    copyFileSync(opened.find((e) => e.name === BACKUP_DB_ENTRY)!.path, newer);
    const tampered = join(backups, 'tampered.sqlite');
    const bytes = readFileSync(good);
    bytes[bytes.length - 100]! ^= 1;
    writeFileSync(tampered, bytes);
    const otherIdentity = join(backups, 'other-identity.pem');
    writeFileSync(otherIdentity, generateBackupKeyPair().privatePem);
    const db = new Database(newer);
    db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('999-from-the-future', new Date().toISOString());
    db.close();

    const cases: [string, RegExp][] = [
      [truncated, /damaged|integrity check failed/],
      [tampered, /does not authenticate/],
      [garbage, /not a SQLite database/],
      [newer, /newer Jangkau.*999-from-the-future/],
      [join(backups, 'missing.sqlite'), /No backup file/],
    ];
    const live = join(dataDir, SQLITE_FILE_NAME);
    const fingerprint = () => createHash('sha256').update(readFileSync(live)).digest('hex');
    const before = fingerprint();
    // Refusals touch nothing, so they may run side by side.
    const runs = await Promise.all(cases.map(([file]) => runCli(['restore', file], { DATA_DIR: dataDir })));
    for (const [i, [file, message]] of cases.entries()) {
      const run = runs[i]!;
      expect(run.code, file).toBe(1);
      expect(run.stderr, file).toMatch(message);
      expect(fingerprint(), file).toBe(before);
      expect(readdirSync(dataDir).filter((f) => f.includes('before-restore') || f.includes('restoring')), file).toEqual([]);
    }
    // An encrypted backup opens only with its identity.
    const wrongKey = await runCli(['restore', good], { DATA_DIR: dataDir, BACKUP_IDENTITY_FILE: otherIdentity });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/made for recipient/);
    const noKey = await runCli(['restore', good], { DATA_DIR: dataDir, BACKUP_IDENTITY_FILE: '' });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/is encrypted: give the backup identity/);
    expect(fingerprint()).toBe(before);
    expect(countSubmissions(dataDir, item.id)).toBe(1);
  });

  it('migrate brings an empty data directory to the latest schema, then reports it is up to date', async () => {
    const dataDir = tempDir('jangkau-data-');
    const first = await runCli(['migrate'], { DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied: 001-initial/);
    const second = await runCli(['migrate'], { DATA_DIR: dataDir });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already up to date/);
  });
});
