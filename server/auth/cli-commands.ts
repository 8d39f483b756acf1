// The operator's account and audit commands (server/cli.ts dispatches to them):
//   create-admin <username> [--name "Display name"]   the first province admin
//   verify-audit                                       walks the audit log's hash chain
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { PROVINCE_CODE } from '../../core/regions.ts';
import type { OpenedDatabase } from '../db/schema.ts';
import { verifyAuditChain } from '../repositories/audit-log.ts';
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

export async function verifyAuditCommand(opened: OpenedDatabase, args: string[]): Promise<string> {
  if (args.length > 0) throw new TypeError('verify-audit takes no arguments');
  const verdict = await verifyAuditChain(opened.db);
  if (verdict.ok) return `audit log intact: ${verdict.count} entries, head ${verdict.headHash}`;
  throw new Error(`audit log BROKEN at entry ${verdict.brokenAt} (${verdict.reason}); ${verdict.count} entries before it verify`);
}
