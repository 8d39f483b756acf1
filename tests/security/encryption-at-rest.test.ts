// A thief with the server's disk, its database or a backup (#12 finding 5): they look for a
// resident's NIK, name, photo and phone number (the SMS sender's, kept for the status SMS) in the
// SQLite file and its WAL, in the upload store, in the keys folder and in a backup file, or in
// PostgreSQL's raw table contents, and find none of them. The phone number was still in the clear
// in sms_parts, sms_messages and sms_outbox on the parent of the commit that sealed it.
// Before encryption at rest all three sat in the clear: on the parent commit (366ce54) one push of
// the same PPID answers left the NIK and the name readable in jangkau.sqlite-wal, the upload store
// kept the photo's bytes as sent, and `backup` copied both plus the private keys.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { generateBackupKeyPair, readEncryptedBackup, readIdentity, readRecipient } from '../../server/ops/backup-crypto.ts';
import { backupSqlite } from '../../server/ops/backup.ts';
import { replaceTpsLists } from '../../server/repositories/assignments.ts';
import { queueStatusSms } from '../../server/repositories/sms-outbox.ts';
import { updateSubmissionStatus } from '../../server/repositories/status.ts';
import { REGION } from '../server/auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pushOk, validPpidData } from '../server/helpers.ts';
import { deliver, INBOUND_SECRET, smsFor } from '../server/sms-fixtures.ts';
import { jpeg, sha, tusCreate, tusPatch } from '../server/upload-fixtures.ts';
import { storedAnswers, storedFile } from '../support/test-kek.ts';

const NIK = '1901024501900001';
const NAME = 'Rahmawati Sekar Kepulauan';
/** The number a resident filed by SMS from; the status SMS goes back to it. */
const PHONE = '+6281377770421';
const PHONE_DIGITS = '81377770421';

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Which of the needles (as bytes) occur in which files. */
function findIn(files: readonly string[], needles: Record<string, Buffer>): string[] {
  const found: string[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const [what, needle] of Object.entries(needles)) if (bytes.includes(needle)) found.push(`${what} in ${file}`);
  }
  return found;
}

let uploads = '';
let keysDir = '';

describeEachDialect(
  'personal data at rest',
  (ctx, dialect) => {
    it('leaves no NIK, name, photo bytes or phone number readable in the database, the upload store, the keys or a backup', async () => {
      const t = ctx();
      const device = newDevice();
      const photo = jpeg(6000);
      const request = envelope({ data: validPpidData({ nik: NIK, nama: NAME }) });
      const complaint = envelope({
        formId: 'pengaduan',
        formVersion: 1,
        data: {
          jenis: 'pengaduan',
          ditujukanKepada: '19',
          nik: NIK,
          nama: NAME,
          telepon: '081234567890',
          isi: `Pengaduan dari ${NAME}, NIK ${NIK}: petugas tidak datang.`,
          bukti: { sha256: sha(photo), type: 'image/jpeg', size: photo.length },
        },
      });
      const pushed = await pushOk(t.app, device, [request, complaint]);
      expect(pushed.results.map((r) => r.outcome), JSON.stringify(pushed.results)).toEqual(['accepted', 'accepted']);
      const created = await tusCreate(t.app, device, photo);
      expect(created.statusCode).toBe(201);
      expect((await tusPatch(t.app, device, created.headers.location as string, 0, photo)).statusCode).toBe(204);
      await replaceTpsLists(
        t.db,
        t.dialect,
        t.app.dataKeys,
        [{ desa: REGION.village, tps: '001', nik: NIK, kk: '1901020101900001', nama: NAME, jenisKelamin: 'P', tempatLahir: 'Pangkalpinang', tanggalLahir: '1990-01-05', alamat: 'Jl. Merdeka 1', rt: '001' }],
        { actorId: 'test', actorRole: 'test' },
        new Date().toISOString(),
      );

      // A request filed by SMS, answered: its status SMS is queued to the sender's number.
      const bySms = envelope({ data: validPpidData({ nik: NIK, nama: NAME }) });
      let outcome = '';
      for (const text of await smsFor(t.app, bySms)) outcome = (await deliver(t.app, text, PHONE)).json<{ outcome: string }>().outcome;
      expect(outcome).toBe('accepted');
      expect((await updateSubmissionStatus(t.db, t.dialect, { id: bySms.id, status: 'selesai', answer: 'Sudah dijawab.', withChange: queueStatusSms })).ok).toBe(true);
      expect(await t.db.selectFrom('sms_outbox').select('submission_id').execute()).toEqual([{ submission_id: bySms.id }]);

      // The server itself still reads everything back.
      expect((await storedAnswers(t.db, request.id)).nama).toBe(NAME);
      expect((await storedFile(t.db, uploads, sha(photo))).equals(photo)).toBe(true);

      const needles = { NIK: Buffer.from(NIK), name: Buffer.from(NAME), photo: photo.subarray(3000, 3048), phone: Buffer.from(PHONE_DIGITS) };
      if (dialect === 'sqlite') {
        const dbFiles = filesUnder(t.dataDir).filter((f) => f.includes(SQLITE_FILE_NAME));
        expect(dbFiles.some((f) => f.endsWith('-wal')), 'the WAL is searched too').toBe(true);
        expect(findIn([...dbFiles, ...filesUnder(uploads), ...filesUnder(keysDir)], needles)).toEqual([]);

        const backupKeys = tempDir('jangkau-backup-keys-');
        const pair = generateBackupKeyPair();
        writeFileSync(join(backupKeys, 'recipient.pem'), pair.publicPem);
        writeFileSync(join(backupKeys, 'identity.pem'), pair.privatePem);
        const backupFile = join(tempDir('jangkau-backup-'), 'jangkau.backup');
        const made = backupSqlite({ dataDir: t.dataDir, target: backupFile, keysDir, recipient: readRecipient(join(backupKeys, 'recipient.pem')) });
        expect(made.ok, made.ok ? '' : made.message).toBe(true);
        const beside = filesUnder(join(backupFile, '..'));
        expect(beside).toEqual([backupFile]);
        expect(findIn(beside, needles)).toEqual([]);
        // Opened with the identity, the backup holds the database (its answers still encrypted).
        const opened = readEncryptedBackup(backupFile, readIdentity(join(backupKeys, 'identity.pem')), join(tempDir('jangkau-opened-'), 'x'));
        expect(opened.map((e) => e.name)).toContain('jangkau.sqlite');
        expect(findIn(opened.map((e) => e.path), needles)).toEqual([]);
      } else {
        // What a database reader (a dump, a replica, a stolen volume) sees: every table's raw rows.
        const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${t.schema!}`.execute(t.db);
        expect(tables.rows.length).toBeGreaterThan(5);
        const found: string[] = [];
        for (const { table_name } of tables.rows) {
          const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(`${t.schema!}.${table_name}`)} t`.execute(t.db);
          for (const { row } of rows.rows) {
            if (row.includes(NIK)) found.push(`NIK in ${table_name}`);
            if (row.includes(NAME)) found.push(`name in ${table_name}`);
            if (row.includes(PHONE_DIGITS)) found.push(`phone in ${table_name}`);
          }
        }
        expect(found).toEqual([]);
        expect(findIn([...filesUnder(uploads), ...filesUnder(keysDir)], needles)).toEqual([]);
      }
    });
  },
  () => {
    uploads = tempDir('jangkau-uploads-');
    keysDir = join(tempDir('jangkau-keys-'), 'keys');
    return { uploads: { dir: uploads, sweepEveryMs: 0 }, handoff: { keysDir, smsInboundSecret: INBOUND_SECRET } };
  },
);
