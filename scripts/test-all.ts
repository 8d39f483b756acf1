// Every Vitest suite, as `npm test` runs it: two Vitest processes side by side.
//   - the browser suite (project e2e), its files one after another;
//   - everything else (unit, server, security, then chaos, then the model), two files at a time.
// One Vitest process would run the e2e files only after all the others (Vitest puts a project whose
// files go one at a time in a group of its own, after the parallel one), and an e2e file spends
// most of its time waiting on the browser and the server process: side by side, the two halves
// take about as long as the longer one. Each line is prefixed with its half; the run fails when
// either half fails, and both always run to their end so that every failure is shown.
//   node --import tsx scripts/test-all.ts [extra vitest arguments for both halves]
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITEST = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const extra = process.argv.slice(2);

const halves: { label: string; projects: string[] }[] = [
  { label: 'e2e', projects: ['e2e'] },
  { label: 'rest', projects: ['unit', 'server', 'security', 'chaos', 'model'] },
];

const children: ChildProcess[] = [];

function run(label: string, projects: string[]): Promise<number> {
  // With extra arguments (a file filter, say) one half may have nothing to run; that is no failure.
  const args = [VITEST, 'run', ...projects.flatMap((p) => ['--project', p]), ...(extra.length > 0 ? ['--passWithNoTests', ...extra] : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const started = Date.now();
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    createInterface({ input: stream }).on('line', (line) => out.write(`[${label}] ${line}\n`));
  }
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      const status = code === 0 ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`;
      process.stdout.write(`[${label}] ${status} in ${seconds} s\n`);
      resolve(code ?? 1);
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
  });
}

const codes = await Promise.all(halves.map((h) => run(h.label, h.projects)));
const failed = halves.filter((_, i) => codes[i] !== 0).map((h) => h.label);
if (failed.length > 0) {
  process.stdout.write(`\nTests failed in: ${failed.join(', ')} (lines prefixed [${failed.join('], [')}] above).\n`);
  process.exit(1);
}
process.stdout.write('\nEvery suite passed.\n');
