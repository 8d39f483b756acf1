// The real thing: server/main.ts and server/cli.ts as child processes, the way e2e and chaos tests
// (and operators) run them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { expect, inject, it } from 'vitest';
import { formatReceipt } from '../../core/ids.ts';
import type { PullResponse, PushResponse } from '../../core/protocol.ts';
import { answerRequest, startServerProcess } from '../support/server-process.ts';
import { describeEachDialect, envelope, newDevice } from './helpers.ts';

const run = promisify(execFile);

describeEachDialect('server and CLI processes', (ctx, dialect) => {
  /** The environment that points a process at this file's database. */
  const dbEnv = (): NodeJS.ProcessEnv =>
    dialect === 'postgres'
      ? { DATABASE_URL: inject('postgresUrl') ?? '', DATABASE_SCHEMA: ctx().schema }
      : { DATABASE_URL: '' };

  it('starts, takes a gzip push, shows an answer given through the CLI, stops on SIGTERM and restarts', async () => {
    const { dataDir } = ctx();
    const device = newDevice();
    const item = envelope();
    let server = await startServerProcess({ dataDir, env: dbEnv() });
    try {
      expect(server.output()).toContain(`Jangkau API listening on http://127.0.0.1:${server.port}`);
      const pushed = await fetch(`${server.url}/api/v1/push`, {
        method: 'POST',
        headers: { authorization: device.authorization, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify({ items: [item] })),
      });
      expect(pushed.status).toBe(200);
      const accepted = ((await pushed.json()) as PushResponse).results[0];
      expect(accepted?.outcome).toBe('accepted');

      const said = await answerRequest(dataDir, formatReceipt(item.id).toLowerCase(), 'selesai', 'Informasi terlampir.', dbEnv());
      expect(said).toContain('selesai');
      const pulled = (await (
        await fetch(`${server.url}/api/v1/changes?since=0`, { headers: { authorization: device.authorization } })
      ).json()) as PullResponse;
      // "diterima" came with the push answer; the pull brings only the office's answer.
      expect(pulled.changes.map((c) => [c.status, c.answer])).toEqual([['selesai', 'Informasi terlampir.']]);

      await server.stop();
      expect(server.child.exitCode).toBe(0);

      server = await startServerProcess({ dataDir, env: dbEnv() });
      const again = await fetch(`${server.url}/api/v1/push`, {
        method: 'POST',
        headers: { authorization: device.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ items: [item] }),
      });
      expect(((await again.json()) as PushResponse).results[0]).toMatchObject({ outcome: 'duplicate', receivedAt: accepted?.receivedAt });
    } finally {
      await server.stop();
    }
  });

  it('refuses a forbidden status change in the CLI with a clear message and exit code 1', async () => {
    const { app, dataDir } = ctx();
    const item = envelope();
    await app.inject({
      method: 'POST',
      url: '/api/v1/push',
      headers: { authorization: newDevice().authorization, 'content-type': 'application/json' },
      payload: { items: [item] },
    });
    await answerRequest(dataDir, item.id, 'ditolak', 'Dikecualikan.', dbEnv());
    const failure = await answerRequest(dataDir, item.id, 'selesai', undefined, dbEnv()).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/final status/);
  });

  it('lists recent submissions without personal data', async () => {
    const { app, dataDir } = ctx();
    const item = envelope();
    await app.inject({
      method: 'POST',
      url: '/api/v1/push',
      headers: { authorization: newDevice().authorization, 'content-type': 'application/json' },
      payload: { items: [item] },
    });
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'list', '--limit', '50'], {
      env: { ...process.env, DATA_DIR: dataDir, ...dbEnv() },
    });
    expect(stdout).toContain(formatReceipt(item.id));
    expect(stdout).toContain('ppid-permohonan@1');
    expect(stdout).not.toContain('Siti');
    expect(stdout).not.toContain('1901024501900001');
  });

  // A bad command line is refused before any database is opened: once, not per dialect. The five
  // CLI starts (each loading the CLI through tsx) go at once.
  it.skipIf(dialect !== 'sqlite')('prints usage and exits 2 on a bad command line', async () => {
    const { dataDir } = ctx();
    const lines = [[], ['frobnicate'], ['answer'], ['answer', 'XYZ', '--status', 'selesai'], ['answer', '01JD2K8F0000000000000000AB', '--status', 'diterima']];
    const failures = await Promise.all(
      lines.map((args) =>
        run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
          env: { ...process.env, DATA_DIR: dataDir, ...dbEnv() },
        }).then(
          () => undefined,
          (err: { code?: number; stderr?: string }) => err,
        ),
      ),
    );
    lines.forEach((args, i) => {
      expect(failures[i]?.code, args.join(' ')).toBe(2);
      expect(failures[i]?.stderr, args.join(' ')).toContain('Usage:');
    });
  }, 120_000);
});
