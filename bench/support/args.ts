// One way for every benchmark to read its flags: node:util's parseArgs plus `--help`, which
// prints the flags with their defaults and exits before anything starts. `--help` is also how CI
// checks, on a fresh clone, that each bench script loads right after `npm ci`.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function benchArgs<const O extends Options>(command: string, summary: string, options: O) {
  if (process.argv.slice(2).includes('--help')) {
    const lines = Object.entries(options).map(([name, option]) => {
      const value = option.type === 'string' ? ' <value>' : '';
      const fallback = option.default === undefined ? '' : ` (default ${JSON.stringify(option.default)})`;
      return `  --${name}${value}${fallback}`;
    });
    console.log(`npm run ${command} -- [flags]\n${summary}\n\n${lines.join('\n')}\n  --help`);
    process.exit(0);
  }
  return parseArgs({ options, allowPositionals: false }).values;
}
