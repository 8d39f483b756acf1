// The server as `npm start` runs it: compiled to JavaScript (tsconfig.server.json, into
// build/server) and started with plain `node`, without the TypeScript loader the tests use (the
// loader's thread and caches cost ~50 MB of resident memory). Same shape as the tests' server
// process, so the benchmark can use either.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, type ServerProcess } from '../../tests/support/server-process.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const COMPILED_MAIN = join(REPO_ROOT, 'build', 'server', 'server', 'main.js');

/** Compiles server/ and core/ (incrementally) the way `npm run build:server` does. */
export async function buildServer(): Promise<void> {
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', join(REPO_ROOT, 'tsconfig.server.json')], { cwd: REPO_ROOT });
}

export async function startCompiledServer(options: { env?: NodeJS.ProcessEnv } = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-bench-'));
  const port = await freePort();
  const child = spawn(process.execPath, [COMPILED_MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`compiled server exited before it was healthy:\n${log}`);
    try {
      if ((await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`compiled server not healthy after 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    port,
    dataDir,
    child,
    output: () => log,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (!running()) return;
      child.kill(signal);
      await gone;
    },
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
