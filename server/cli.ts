// Operator commands against the same database the server uses (same environment variables):
//   answer <receipt-id> --status <diproses|selesai|ditolak> [--text "answer"]
//   list [--limit n]
import { parseArgs } from 'node:util';
import { formatReceipt, isUlid } from '../core/ids.ts';
import { readConfig } from './config.ts';
import { openPreparedDatabase } from './db/prepare.ts';
import type { OpenedDatabase } from './db/schema.ts';
import { listRecentSubmissions } from './repositories/submissions.ts';
import { updateSubmissionStatus } from './repositories/status.ts';
import { normalizeReceipt } from './services/receipt.ts';
import { isServerStatus } from './services/status-rules.ts';

const USAGE = `Usage:
  npm run jangkau -- answer <receipt-id> --status <diproses|selesai|ditolak> [--text "answer text"]
  npm run jangkau -- list [--limit n]`;

class UsageError extends Error {}

const TRANSITION_MESSAGES = {
  not_found: 'No submission has this receipt number.',
  final_status: 'This request already has a final status (selesai or ditolak); it cannot change.',
  invalid_transition: 'This status change is not allowed (diterima → diproses|selesai|ditolak, diproses → selesai|ditolak).',
} as const;

async function answer(opened: OpenedDatabase, args: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { status: { type: 'string' }, text: { type: 'string' } },
  });
  const [rawId, ...extra] = positionals;
  if (rawId === undefined || extra.length > 0) throw new UsageError('answer needs exactly one receipt id');
  const id = normalizeReceipt(rawId);
  if (!isUlid(id)) throw new UsageError(`not a receipt number: ${rawId}`);
  if (!isServerStatus(values.status) || values.status === 'diterima') {
    throw new UsageError('--status must be diproses, selesai or ditolak');
  }
  const result = await updateSubmissionStatus(opened.db, opened.dialect, {
    id,
    status: values.status,
    ...(values.text !== undefined && values.text.trim() !== '' ? { answer: values.text.trim() } : {}),
  });
  if (!result.ok) {
    const detail = result.error === 'not_found' ? '' : ` (now ${result.from}, asked ${result.status})`;
    throw new Error(`${TRANSITION_MESSAGES[result.error]}${detail}`);
  }
  return `${formatReceipt(result.id)} → ${result.status} at ${result.at}`;
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
    .map((r) => [formatReceipt(r.id), `${r.formId}@${r.formVersion}`, r.status.padEnd(8), r.receivedAt].join('  '))
    .join('\n');
}

const COMMANDS: Record<string, (opened: OpenedDatabase, args: string[]) => Promise<string>> = { answer, list };

async function run(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    console.error(USAGE);
    return 2;
  }
  const config = readConfig();
  const opened = await openPreparedDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
  });
  try {
    console.log(await command(opened, args));
    return 0;
  } catch (err) {
    if (err instanceof UsageError || String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
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
