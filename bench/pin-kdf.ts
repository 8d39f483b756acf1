// What one PIN try costs a phone: Argon2id (src/auth/pin-kdf.ts) run in Chromium with the CPU
// throttled 4× over CDP (Emulation.setCPUThrottlingRate), the entry-level Android the design names,
// for a few parameter sets, in WebAssembly (hash-wasm, the app's path) and in plain JavaScript
// (@noble/hashes, the fallback where WebAssembly is refused). The chosen set and its figures go in
// docs/security.md; the same derivation on this machine's unthrottled CPU is an attacker's cost
// per guess on one core.
//   npm run bench:pin -- [--rate 4] [--runs 3]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { argon2id } from 'hash-wasm';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.ts';
import { benchArgs } from './support/args.ts';
import { PHONE_PIN_KDF, type PinKdfParams } from '../src/auth/pin-kdf.ts';

const args = benchArgs('bench:pin', "One officer PIN try (Argon2id) in Chromium with the CPU throttled, per parameter set (docs/security.md).", {
  rate: { type: 'string', default: '4' },
  runs: { type: 'string', default: '3' },
});
const RATE = Number(args.rate);
const RUNS = Number(args.runs);

const SETS: PinKdfParams[] = [
  { alg: 'argon2id', memoryKiB: 12 * 1024, passes: 3, lanes: 1 },
  PHONE_PIN_KDF,
  { alg: 'argon2id', memoryKiB: 32 * 1024, passes: 3, lanes: 1 },
];

const require = createRequire(import.meta.url);
const hashWasmUmd = readFileSync(require.resolve('hash-wasm/dist/argon2.umd.min.js'), 'utf8');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  const page = await browser.newPage();
  await page.setContent('<!doctype html><title>pin-kdf</title>');
  await page.addScriptTag({ content: hashWasmUmd });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
  console.log(`Argon2id per PIN try, Chromium ${browser.version()} at ${RATE}× CPU throttle (median of ${RUNS}), and one unthrottled core here`);
  console.log('memory KiB | passes | lanes | phone WASM ms | here WASM ms | full 10^6 search, one core here');
  for (const set of SETS) {
    const phone: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      phone.push(
        await page.evaluate(async (p) => {
          const w = globalThis as unknown as { hashwasm: { argon2id(o: object): Promise<unknown> } };
          const t0 = performance.now();
          await w.hashwasm.argon2id({ password: '274915', salt: new Uint8Array(16), iterations: p.passes, parallelism: p.lanes, memorySize: p.memoryKiB, hashLength: 32, outputType: 'binary' });
          return performance.now() - t0;
        }, set),
      );
    }
    const here: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await argon2id({ password: '274915', salt: new Uint8Array(16), iterations: set.passes, parallelism: set.lanes, memorySize: set.memoryKiB, hashLength: 32, outputType: 'binary' });
      here.push(performance.now() - t0);
    }
    const hours = (median(here) * 1e6) / 3_600_000;
    console.log(`${set.memoryKiB} | ${set.passes} | ${set.lanes} | ${median(phone).toFixed(0)} | ${median(here).toFixed(0)} | ${hours.toFixed(0)} core-hours`);
  }
  await browser.close();
}

await main();
