// The model-based test's long run: `npm run test:model -- --runs 50000 [--seed N] [--path P]
// [--sqlite-only]`. Runs the vitest project `model` with those settings (tests/model/system.test.ts
// reads them from the environment); CI runs the same project with its default of 2,000.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env: Record<string, string> = { ...process.env } as Record<string, string>;
const names: Record<string, string> = { '--runs': 'MODEL_RUNS', '--seed': 'MODEL_SEED', '--path': 'MODEL_PATH', '--known-open': 'MODEL_KNOWN_OPEN' };
for (let i = 0; i < args.length; i++) {
  const arg = args[i] ?? '';
  const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
  if (flag === '--sqlite-only') {
    env.MODEL_DIALECTS = 'sqlite';
    continue;
  }
  const name = names[flag];
  if (!name) {
    console.error(`test:model: unknown option ${arg} (known: ${Object.keys(names).join(', ')}, --sqlite-only)`);
    process.exit(2);
  }
  const value = inline ?? args[++i];
  if (value === undefined) {
    console.error(`test:model: ${flag} needs a value`);
    process.exit(2);
  }
  env[name] = value;
}
const result = spawnSync('npx', ['vitest', 'run', '--project', 'model'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
