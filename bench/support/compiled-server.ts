// The server as `npm start` runs it: compiled to JavaScript (tsconfig.server.json, into
// build/server) and started with plain `node`, without the TypeScript loader the tests use (the
// loader's thread and caches cost ~50 MB of resident memory). Same shape as the tests' server
// process, so the benchmark can use either.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServerProcess, type ServerProcess } from '../../tests/support/server-process.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const COMPILED_MAIN = join(REPO_ROOT, 'build', 'server', 'server', 'main.js');

/** Compiles server/ and core/ (incrementally) the way `npm run build:server` does. */
export async function buildServer(): Promise<void> {
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', join(REPO_ROOT, 'tsconfig.server.json')], { cwd: REPO_ROOT });
}

/** The heap cap `npm start` and docs/operations.md's unit give the server. */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-old-space-size=192'];

/** `nodeFlags` go after SERVER_NODE_FLAGS and before the script, for flags NODE_OPTIONS refuses (e.g. --cpu-prof). */
export function startCompiledServer(options: { env?: NodeJS.ProcessEnv; nodeFlags?: readonly string[]; startTimeoutMs?: number } = {}): Promise<ServerProcess> {
  return startServerProcess({
    env: options.env,
    nodeArgs: [...SERVER_NODE_FLAGS, ...(options.nodeFlags ?? []), COMPILED_MAIN],
    ...(options.startTimeoutMs !== undefined ? { startTimeoutMs: options.startTimeoutMs } : {}),
  });
}
