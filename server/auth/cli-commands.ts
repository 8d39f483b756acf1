// The operator's account and audit commands (server/cli.ts dispatches to them):
//   create-admin <username> [--name "Display name"]   the first province admin
//   verify-audit [--anchor <file>]                     walks the audit log's hash chain, checks it
//                                                      against the heads anchored in <file> and
//                                                      appends the current head there
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { PROVINCE_CODE } from '../../core/regions.ts';
import type { OpenedDatabase } from '../db/schema.ts';
import { verifyAuditChain, type AuditAnchor } from '../repositories/audit-log.ts';
import { ACCOUNT_PROBLEM_MESSAGES, createAccountChecked } from './accounts-service.ts';

/** For scripts: the password in this variable instead of a prompt. */
export const ADMIN_PASSWORD_ENV = 'JANGKAU_ADMIN_PASSWORD';

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!process.stdin.isTTY) {
      reject(new Error(`no terminal to ask for the password: set ${ADMIN_PASSWORD_ENV}`));
      return;
    }
    let muted = false;
    const output = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (!muted) process.stdout.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

export async function createAdminCommand(opened: OpenedDatabase, args: string[]): Promise<string> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { name: { type: 'string' } } });
  const [username, ...extra] = positionals;
  if (username === undefined || extra.length > 0) throw new TypeError('create-admin needs exactly one username');
  let password = process.env[ADMIN_PASSWORD_ENV];
  if (password === undefined || password === '') {
    password = await promptHidden('Kata sandi (min. 10 karakter): ');
    const again = await promptHidden('Ulangi kata sandi: ');
    if (again !== password) throw new Error('The two passwords differ; nothing was created.');
  }
  const result = await createAccountChecked(
    opened.db,
    opened.dialect,
    { username, password, role: 'admin_provinsi', scope: PROVINCE_CODE, displayName: values.name ?? username },
    { actorId: 'cli', actorRole: 'operator-cli' },
  );
  if (!result.ok) throw new Error(`No account created: ${ACCOUNT_PROBLEM_MESSAGES[result.error]}`);
  return `created province admin ${result.account.username} (${result.account.id}); log in on a device to get a device token`;
}

/**
 * The anchor file: one line per verified head, `<seq> <hash> <when>`, appended, never rewritten.
 * It lives outside the database (another disk, another machine, a printout), so a writer who cuts
 * the log's end, or cuts it and lets new rows refill it, no longer matches it.
 */
function readAnchors(path: string): AuditAnchor[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line, i) => {
      const [seq, hash] = line.split(/\s+/);
      if (!seq || !/^\d+$/.test(seq) || !hash || !/^[0-9a-f]{64}$/.test(hash)) throw new Error(`anchor file ${path}: line ${i + 1} is not "<seq> <hash>"`);
      return { seq: Number(seq), hash };
    });
}

export async function verifyAuditCommand(opened: OpenedDatabase, args: string[]): Promise<string> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { anchor: { type: 'string' } } });
  if (positionals.length > 0) throw new TypeError('verify-audit takes no positional arguments (only --anchor <file>)');
  const anchorFile = values.anchor;
  const anchors = anchorFile === undefined ? [] : readAnchors(anchorFile);
  const verdict = await verifyAuditChain(opened.db, { anchors });
  if (!verdict.ok) {
    const why =
      verdict.reason === 'anchor_missing'
        ? `the log ends before a head anchored in ${anchorFile ?? ''}: entries were cut`
        : verdict.reason === 'anchor_mismatch'
          ? `entry ${verdict.brokenAt} differs from the head anchored in ${anchorFile ?? ''}`
          : verdict.reason;
    throw new Error(`audit log BROKEN at entry ${verdict.brokenAt} (${why}); ${verdict.count} entries before it verify`);
  }
  const head = `audit log intact: ${verdict.count} entries, head ${verdict.count} ${verdict.headHash}`;
  if (anchorFile === undefined) return `${head}\n(keep this head outside the database, or pass --anchor <file>: without it a cut at the end goes unseen)`;
  const last = anchors.at(-1);
  if (verdict.count > 0 && (last?.seq !== verdict.count || last.hash !== verdict.headHash)) {
    appendFileSync(anchorFile, `${verdict.count} ${verdict.headHash} ${new Date().toISOString()}\n`, { mode: 0o600 });
  }
  return `${head}; checked against ${anchors.length} anchored head(s), head anchored in ${anchorFile}`;
}
