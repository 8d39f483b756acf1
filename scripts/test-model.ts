// The model-based test's long run: `npm run test:model -- --runs 50000`. Runs the vitest project
// `model` with these settings (tests/model/system.test.ts reads them from the environment); CI runs
// the same project with its fixed-seed default of 800 sequences inside `npm test`.
import { spawnSync } from 'node:child_process';
import { benchArgs } from '../bench/support/args.ts';

const args = benchArgs('test:model', 'The model-based test of the whole system (tests/model/), seeded; prints the seed and any counterexample.', {
  runs: { type: 'string', default: '2000' },
  seed: { type: 'string' },
  path: { type: 'string' },
  replay: { type: 'string' },
  'known-open': { type: 'string' },
  'sqlite-only': { type: 'boolean', default: false },
});

const env: NodeJS.ProcessEnv = { ...process.env, MODEL_RUNS: args.runs };
if (args.seed !== undefined) env.MODEL_SEED = args.seed;
if (args.path !== undefined) env.MODEL_PATH = args.path;
if (args.replay !== undefined) env.MODEL_REPLAY = args.replay;
if (args['known-open'] !== undefined) env.MODEL_KNOWN_OPEN = args['known-open'];
if (args['sqlite-only']) env.MODEL_DIALECTS = 'sqlite';
const result = spawnSync('npx', ['vitest', 'run', '--project', 'model'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
