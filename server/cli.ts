// Operator commands against the same database the server uses (same environment variables):
//   answer <receipt-id> --status <diproses|selesai|ditolak> [--text "answer"] [--ground <code>]
//   list [--limit n]
//   backup <file> [--recipient <pem>]   (SQLite only; online; encrypted to the backup recipient key)
//   restore <file> [--force] [--identity <pem>]   (SQLite only; the server must be stopped)
//   backup-keygen <dir>        (the backup recipient/identity X25519 key pair)
//   migrate                    (brings the database to this code's schema before processes roll)
//   publish-form <file.json>   (a new form version, offered to devices on their next pull)
//   retire-form <form-id> <version> (no longer offered; its queued submissions still arrive)
//   create-admin <username> [--name "…"] (the first province admin; password prompted or JANGKAU_ADMIN_PASSWORD)
//   verify-audit [--anchor f]  (walks the audit log's hash chain; checks and extends the heads anchored in f)
//   import-voters <file.csv>   (voter lists per TPS for coklit, as POST /api/v1/assignments)
//   rotate-key --new-kek-file <path> (re-wraps the data keys and sealing keys under a new KEK)
//   purge                      (deletes what is past its form's retention; the server also runs it daily)
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { FormDef } from '../core/forms/definition.ts';
import { publishForm, retireForm } from './repositories/forms.ts';
import { formatReceipt, isUlid } from '../core/ids.ts';
import { readConfig, redactUrl, type ServerConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import { openPreparedDatabase, prepareDatabase } from './db/prepare.ts';
import { migrateToLatest, migrationsFor } from './migrations/index.ts';
import type { OpenedDatabase } from './db/schema.ts';
import { listRecentSubmissions } from './repositories/submissions.ts';
import { changeRequestStatus } from './services/request-lifecycle.ts';
import { REFUSAL_GROUNDS } from '../core/office/refusal-grounds.ts';
import { normalizeReceipt } from './services/receipt.ts';
import { isServerStatus } from './services/status-rules.ts';
import { backupSqlite, type OpsResult } from './ops/backup.ts';
import { loadAuditKey } from './crypto/audit-key.ts';
import { useAuditKey } from './repositories/audit-log.ts';
import { restoreSqlite } from './ops/restore.ts';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { generateBackupKeyPair, readIdentity, readRecipient } from './ops/backup-crypto.ts';
import { DataKeys } from './crypto/data-keys.ts';
import { kekFromBase64, kekFromFile, loadKek, type KeyEncryptionKey } from './crypto/kek.ts';
import { rewrapKeysDir } from './crypto/server-keys.ts';

const USAGE = `Usage:
  npm run jangkau -- answer <receipt-id> --status <diproses|selesai|ditolak> [--text "answer text"] [--ground <refusal ground>]
  npm run jangkau -- list [--limit n]
  npm run jangkau -- backup <file> [--recipient <public-key.pem>]   (or BACKUP_RECIPIENT_FILE)
  npm run jangkau -- restore <file> [--force] [--identity <private-key.pem>]   (or BACKUP_IDENTITY_FILE)
  npm run jangkau -- backup-keygen <dir>
  npm run jangkau -- migrate
  npm run jangkau -- publish-form <file.json>
  npm run jangkau -- retire-form <form-id> <version>
  npm run jangkau -- create-admin <username> [--name "Display name"]   (password: prompt, or JANGKAU_ADMIN_PASSWORD)
  npm run jangkau -- verify-audit [--anchor <file outside DATA_DIR>]
  npm run jangkau -- import-voters <file.csv>
  npm run jangkau -- rotate-key --new-kek-file <path>   (or JANGKAU_NEW_KEK=<base64>)
  npm run jangkau -- purge`;

class UsageError extends Error {}

const TRANSITION_MESSAGES = {
  not_found: 'No submission has this receipt number.',
  practice: 'This is a practice (latihan) submission: it takes no status.',
  final_status: 'This request already has a final status (selesai or ditolak); it cannot change.',
  invalid_transition: 'This status change is not allowed (diterima → diproses|selesai|ditolak, diproses → selesai|ditolak).',
  ground_required: `Refusing a public information (PPID) request needs --ground, one of: ${REFUSAL_GROUNDS.map((g) => g.code).join(', ')}.`,
  unknown_ground: `--ground must be one of: ${REFUSAL_GROUNDS.map((g) => g.code).join(', ')}.`,
} as const;

async function answer(opened: OpenedDatabase, args: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { status: { type: 'string' }, text: { type: 'string' }, ground: { type: 'string' } },
  });
  const [rawId, ...extra] = positionals;
  if (rawId === undefined || extra.length > 0) throw new UsageError('answer needs exactly one receipt id');
  const id = normalizeReceipt(rawId);
  if (!isUlid(id)) throw new UsageError(`not a receipt number: ${rawId}`);
  if (!isServerStatus(values.status) || values.status === 'diterima') {
    throw new UsageError('--status must be diproses, selesai or ditolak');
  }
  // Queued here, sent by the running server's worker (it looks every minute).
  const lifecycle = { db: opened.db, dialect: opened.dialect, sms: { queue: Boolean(readConfig().smsOutboundUrl) } };
  const result = await changeRequestStatus(lifecycle, {
    id,
    status: values.status,
    ...(values.text !== undefined && values.text.trim() !== '' ? { answer: values.text.trim() } : {}),
    ...(values.ground !== undefined ? { ground: values.ground } : {}),
    audit: { actorId: 'cli', actorRole: 'operator-cli' },
  });
  if (!result.ok) {
    const detail = 'from' in result ? ` (now ${result.from}, asked ${result.status})` : '';
    throw new Error(`${TRANSITION_MESSAGES[result.error]}${detail}`);
  }
  return `${formatReceipt(result.id)} → ${result.status} at ${result.at}`;
}

/** 'files 1/2' while files are missing, 'files 2/2 complete' once all arrived, '' without files. */
function filesColumn(a: { files: number; arrived: number; complete: boolean }): string {
  return a.files === 0 ? '' : `files ${a.arrived}/${a.files}${a.complete ? ' complete' : ''}`;
}

async function list(opened: OpenedDatabase, args: string[]): Promise<string> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { limit: { type: 'string' } } });
  if (positionals.length > 0) throw new UsageError('list takes no arguments');
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be 1–10000');
  const rows = await listRecentSubmissions(opened.db, limit);
  if (rows.length === 0) return 'No submissions yet.';
  // Receipt, form and status only: personal data stays in the database.
  return rows
    .map((r) => [formatReceipt(r.id), `${r.formId}@${r.formVersion}`, r.status.padEnd(8), r.receivedAt, filesColumn(r.attachments)].join('  '))
    .join('\n');
}

/** PostgreSQL has its own, better tools; copying its files from here would be wrong. */
function refusePostgres(config: ServerConfig, what: string): OpsResult | undefined {
  if (config.databaseUrl === undefined) return undefined;
  return {
    ok: false,
    message:
      `DATABASE_URL is set, so the database is PostgreSQL; ${what} handles the SQLite default only. ` +
      'Use pg_dump and pg_restore instead (docs/operations.md, "Backups on PostgreSQL").',
  };
}

function backup(config: ServerConfig, args: string[]): OpsResult {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { recipient: { type: 'string' } } });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError('backup needs exactly one file name');
  const refused = refusePostgres(config, 'backup');
  if (refused) return refused;
  const recipientFile = values.recipient ?? process.env.BACKUP_RECIPIENT_FILE?.trim();
  if (!recipientFile) {
    return {
      ok: false,
      message: 'A backup is encrypted to the backup recipient key: give --recipient <public-key.pem> or BACKUP_RECIPIENT_FILE (make a pair with backup-keygen <dir>; docs/operations.md).',
    };
  }
  return backupSqlite({ dataDir: config.dataDir, target: file, keysDir: config.keysDir, recipient: readRecipient(recipientFile) });
}

function restore(config: ServerConfig, args: string[]): OpsResult {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean' }, identity: { type: 'string' } } });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError('restore needs exactly one backup file');
  const identityFile = values.identity ?? process.env.BACKUP_IDENTITY_FILE?.trim();
  return (
    refusePostgres(config, 'restore') ??
    restoreSqlite({
      dataDir: config.dataDir,
      source: file,
      force: values.force === true,
      keysDir: config.keysDir,
      identity: identityFile ? readIdentity(identityFile) : undefined,
    })
  );
}

/** Makes the backup key pair: the public key for the server's backups, the private key to keep offline. */
function backupKeygen(_config: ServerConfig, args: string[]): OpsResult {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [dir, ...extra] = positionals;
  if (dir === undefined || extra.length > 0) throw new UsageError('backup-keygen needs exactly one folder');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { publicPem, privatePem } = generateBackupKeyPair();
  const publicPath = join(dir, 'backup-recipient.pem');
  const privatePath = join(dir, 'backup-identity.pem');
  writeFileSync(publicPath, publicPem, { mode: 0o644, flag: 'wx' });
  writeFileSync(privatePath, privatePem, { mode: 0o600, flag: 'wx' });
  return {
    ok: true,
    lines: [
      `Backup recipient (public, for BACKUP_RECIPIENT_FILE on the server): ${publicPath}`,
      `Backup identity (private, restores backups): ${privatePath}`,
      '  move the identity OFF this server (offline, with the KEK in the province secret store); a server holding it can read its own backups',
    ],
  };
}

/**
 * Runs the migrations the server would run at start, and says which ran: with several API
 * processes the schema moves first, then the processes are replaced one by one.
 */
async function migrate(config: ServerConfig, args: string[]): Promise<OpsResult> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length > 0) throw new UsageError('migrate takes no arguments');
  // Migration 014 re-keys the audit chain.
  useAuditKey(loadAuditKey({ dataDir: config.dataDir }));
  const opened = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  try {
    const applied = await migrateToLatest(opened.db, opened.dialect, { schema: config.databaseSchema });
    // Also records published form versions, exactly as a starting server does.
    await prepareDatabase(opened, { schema: config.databaseSchema });
    const where = config.databaseUrl ? redactUrl(config.databaseUrl) : config.dataDir;
    const latest = Object.keys(migrationsFor(opened.dialect)).at(-1) ?? '(none)';
    return {
      ok: true,
      lines: [
        `${opened.dialect} at ${where}`,
        applied.length > 0 ? `  applied: ${applied.join(', ')}` : '  already up to date',
        `  latest migration: ${latest}`,
      ],
    };
  } finally {
    await opened.close();
  }
}

async function publish(opened: OpenedDatabase, args: string[]): Promise<string> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) throw new UsageError('publish-form needs exactly one JSON file');
  let form: unknown;
  try {
    form = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read ${file} as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = await publishForm(opened.db, form as FormDef, new Date().toISOString());
  const name = `${(form as Partial<FormDef>).formId}@${(form as Partial<FormDef>).version}`;
  if (result.ok) return result.published ? `published ${name}` : `${name} was already published with this definition`;
  if (result.error === 'version_exists') {
    throw new Error(`${name} is already published with another definition; a published version never changes: use a new version number`);
  }
  throw new Error(`${name} is not a valid form definition:\n  ${result.problems.join('\n  ')}`);
}

async function retire(opened: OpenedDatabase, args: string[]): Promise<string> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [formId, versionText, ...extra] = positionals;
  const version = Number(versionText);
  if (formId === undefined || !Number.isInteger(version) || version < 1 || extra.length > 0) {
    throw new UsageError('retire-form needs a form id and a version number');
  }
  const done = await retireForm(opened.db, formId, version, new Date().toISOString());
  if (!done) throw new Error(`${formId}@${version} is not a published, unretired version`);
  return `retired ${formId}@${version}: no longer offered; submissions already made on it are still accepted`;
}

/** What a command may need beyond the database: the settings, and the data keys (loaded on demand). */
interface CliContext {
  config: ServerConfig;
  kek(): KeyEncryptionKey;
  keys(): Promise<DataKeys>;
}

/**
 * Re-wraps every data key (in the database) and every sealing key and channel secret (in the keys
 * folder) under a new KEK; no personal data is re-encrypted. Run it with the current KEK in
 * JANGKAU_KEK / JANGKAU_KEK_FILE, then restart every process with the new one. Safe to run again
 * after an interruption: what the new KEK already wraps is skipped.
 */
async function rotateKey(opened: OpenedDatabase, args: string[], ctx: CliContext): Promise<string> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'new-kek-file': { type: 'string' } } });
  if (positionals.length > 0) throw new UsageError('rotate-key takes no positional arguments');
  const file = values['new-kek-file'];
  const inline = process.env.JANGKAU_NEW_KEK?.trim();
  if ((file === undefined) === (inline === undefined || inline === '')) throw new UsageError('rotate-key needs the new KEK: --new-kek-file <path> or JANGKAU_NEW_KEK (one of them)');
  const next = file !== undefined ? kekFromFile(file) : kekFromBase64(inline!, 'JANGKAU_NEW_KEK');
  const old = ctx.kek();
  const keysDir = ctx.config.keysDir ?? join(ctx.config.dataDir, 'keys');
  const files = await rewrapKeysDir(keysDir, old, next);
  const keys = await ctx.keys();
  const rows = await keys.rewrapAll(next);
  return [
    `KEK ${old.id} → ${next.id}: ${rows} data keys and ${files} key files re-wrapped (no data re-encrypted)`,
    'Now restart every Jangkau process with the new KEK (JANGKAU_KEK / JANGKAU_KEK_FILE), then destroy the old one.',
  ].join('\n');
}

const COMMANDS: Record<string, (opened: OpenedDatabase, args: string[], ctx: CliContext) => Promise<string>> = {
  answer,
  list,
  'publish-form': publish,
  'retire-form': retire,
  // Loaded on demand: the account code pulls in the region catalogue, which other commands skip.
  'create-admin': async (opened, args) => (await import('./auth/cli-commands.ts')).createAdminCommand(opened, args),
  'verify-audit': async (opened, args) => (await import('./auth/cli-commands.ts')).verifyAuditCommand(opened, args),
  'import-voters': async (opened, args, ctx) => (await import('./services/import-voters.ts')).importVotersCommand(opened, args, ctx.keys),
  'rotate-key': rotateKey,
  purge: async (opened, args, ctx) => {
    if (args.length > 0) throw new UsageError('purge takes no arguments');
    const { runPurge } = await import('./services/purge.ts');
    const { resolveUploadsOptions } = await import('./uploads/uploads-route.ts');
    // As the server's daily job: the months it empties lose their data keys (crypto-shredding).
    const report = await runPurge(opened.db, opened.dialect, {
      now: new Date(),
      actor: { id: 'cli', role: 'operator-cli' },
      uploadsDir: resolveUploadsOptions({}).dir,
      shredder: await ctx.keys(),
    });
    const c = report.counts;
    return (
      `purged ${c.submissions} submissions (${c.changes} changes, ${c.attachmentRefs} file refs, ${report.files} files, ` +
      `${c.smsMessages} SMS, ${c.smsParts} SMS parts, ${c.smsOutbox} status SMS); ${report.held} kept by a legal hold; ` +
      `${report.keysShredded} data keys shredded`
    );
  },
};
/** Commands that handle the database themselves: they must not open (or migrate) it the usual way first. */
const OPS_COMMANDS: Record<string, (config: ServerConfig, args: string[]) => OpsResult | Promise<OpsResult>> = {
  backup,
  restore,
  migrate,
  'backup-keygen': backupKeygen,
};

function isUsageError(err: unknown): boolean {
  return err instanceof UsageError || String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}

async function runOpsCommand(
  command: (config: ServerConfig, args: string[]) => OpsResult | Promise<OpsResult>,
  args: string[],
): Promise<number> {
  try {
    const result = await command(readConfig(), args);
    if (!result.ok) {
      console.error(result.message);
      return 1;
    }
    console.log(result.lines.join('\n'));
    return 0;
  } catch (err) {
    if (isUsageError(err)) {
      console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
      return 2;
    }
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const opsCommand = name !== undefined && Object.hasOwn(OPS_COMMANDS, name) ? OPS_COMMANDS[name] : undefined;
  if (opsCommand) return runOpsCommand(opsCommand, args);
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  const config = readConfig();
  useAuditKey(loadAuditKey({ dataDir: config.dataDir }));
  const opened = await openPreparedDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
  });
  let kek: KeyEncryptionKey | undefined;
  let keys: DataKeys | undefined;
  const ctx: CliContext = {
    config,
    kek: () => (kek ??= loadKek({ dataDir: config.dataDir, warn: (line) => console.error(line) })),
    keys: async () => (keys ??= await new DataKeys(opened.db, ctx.kek()).ready()),
  };
  try {
    console.log(await command(opened, args, ctx));
    return 0;
  } catch (err) {
    if (isUsageError(err)) {
      console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
      return 2;
    }
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  } finally {
    await opened.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
