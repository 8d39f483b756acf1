// Runs every npm script of package.json the way a newcomer would right after `npm ci` on a fresh
// clone, in its cheapest real form (a bench's `--help`, a CLI command on an empty data folder, the
// server until its health check answers), so that no script silently needs a step the README does
// not name. CI runs it on its fresh clone (`npm run check:scripts`). A script this table does not
// know fails the check: a new script must say here how it is checked.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../tests/support/server-process.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Check =
  | { kind: 'run'; args: readonly string[] }
  | { kind: 'serve' }
  | { kind: 'covered'; by: string };

function checkFor(name: string): Check | undefined {
  if (name === 'test' || name.startsWith('test:') || name === 'typecheck' || name === 'lint') return { kind: 'covered', by: 'npm test' };
  if (name.startsWith('bench:')) return { kind: 'run', args: ['--help'] };
  switch (name) {
    case 'prepare':
      return { kind: 'covered', by: 'npm ci (it is the install hook)' };
    case 'gen:regions':
      return { kind: 'run', args: [] };
    case 'jangkau':
      return { kind: 'run', args: ['list'] };
    case 'build':
      return { kind: 'covered', by: 'start' };
    case 'build:server':
      return { kind: 'covered', by: 'serve' };
    case 'start':
    case 'serve':
      return { kind: 'serve' };
    case 'check:scripts':
      return { kind: 'covered', by: 'this run' };
    default:
      return undefined;
  }
}

interface Outcome {
  ok: boolean;
  detail: string;
}

function runScript(name: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', name, ...(args.length ? ['--', ...args] : [])], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ ok: code === 0, detail: code === 0 ? 'exit 0' : `exit ${code}\n${output.slice(-2000)}` }));
  });
}

async function serveUntilHealthy(name: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const port = await freePort();
  const child = spawn('npm', ['run', '-s', name], { cwd: ROOT, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const deadline = Date.now() + 5 * 60_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) return { ok: false, detail: `exited ${child.exitCode} before answering\n${output.slice(-2000)}` };
      const healthy = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then((r) => r.ok, () => false);
      if (healthy) return { ok: true, detail: `answered /api/v1/health on port ${port}` };
      await new Promise((r) => setTimeout(r, 500));
    }
    return { ok: false, detail: `no health answer within 5 minutes\n${output.slice(-2000)}` };
  } finally {
    stop();
  }
}

async function main(): Promise<number> {
  const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
  let failures = 0;
  for (const name of scripts) {
    const check = checkFor(name);
    const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-scripts-'));
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
    let outcome: Outcome;
    if (!check) outcome = { ok: false, detail: 'not in scripts/check-scripts.ts: say there how this script is checked' };
    else if (check.kind === 'covered') outcome = { ok: true, detail: `run by ${check.by}` };
    else if (check.kind === 'serve') outcome = await serveUntilHealthy(name, env);
    else outcome = await runScript(name, check.args, env);
    rmSync(dataDir, { recursive: true, force: true });
    if (!outcome.ok) failures++;
    console.log(`${outcome.ok ? '✓' : '✗'} npm run ${name}${check?.kind === 'run' && check.args.length ? ` -- ${check.args.join(' ')}` : ''}: ${outcome.detail}`);
  }
  console.log(failures === 0 ? `Every npm script works after npm ci (${scripts.length} checked).` : `${failures} npm script(s) fail after npm ci.`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
