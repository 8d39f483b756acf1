// Runs the real server as a child process, the way it runs in production, for e2e and chaos
// tests: a free port, a temp DATA_DIR, and a wait until /api/v1/health answers.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(REPO_ROOT, 'server', 'main.ts');
const CLI = join(REPO_ROOT, 'server', 'cli.ts');

export interface StartOptions {
  /** Reuse a data directory (e.g. to restart after a crash); a fresh temp dir by default. */
  dataDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Extra environment, e.g. STATIC_DIR or DATABASE_URL. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for health, in ms. */
  startTimeoutMs?: number;
  /** What node runs; the TypeScript sources through tsx by default (a benchmark runs the compiled server). */
  nodeArgs?: readonly string[];
}

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Graceful stop: SIGTERM, then SIGKILL if it has not exited after a few seconds. */
  stop(): Promise<void>;
  /** Sends a signal (SIGKILL for a crash) and resolves when the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  child: ChildProcess;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited before it was healthy:\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server not healthy after ${timeoutMs} ms:\n${output()}`);
}

export async function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'jangkau-server-'));
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const child = spawn(process.execPath, options.nodeArgs ?? ['--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const output = () => log;
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, options.startTimeoutMs ?? 60_000, output);

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const gone = exited(child);
    child.kill(signal);
    await gone;
  };
  const stop = async () => {
    const gone = exited(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  };
  return { url, port, dataDir, output, stop, kill, child };
}

/** Answers a request the way an officer does, through the CLI against that data directory. */
export async function answerRequest(
  dataDir: string,
  id: string,
  status: 'diproses' | 'selesai' | 'ditolak',
  text?: string,
  env: NodeJS.ProcessEnv = {},
  /** The refusal's ground (required to refuse a PPID request); `ditolak` defaults to art. 17 (h). */
  ground: string | undefined = status === 'ditolak' ? 'pasal-17-h' : undefined,
): Promise<string> {
  const args = ['answer', id, '--status', status, ...(text !== undefined ? ['--text', text] : []), ...(ground !== undefined ? ['--ground', ground] : [])];
  const run = await runCli(args, { DATA_DIR: dataDir, ...env });
  // Rejects as execFile does: the exit code and the output on the error.
  if (run.code !== 0) throw Object.assign(new Error(`jangkau answer exited ${run.code}: ${run.stderr}`), run);
  return run.stdout.trim();
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run jangkau -- <args>` as an operator would, on SQLite unless `env` names a
 * PostgreSQL database; never rejects, the exit code is the result.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: '', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}
