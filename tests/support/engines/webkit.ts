// WebKit (Safari's engine) for the engine suite: Debian's WebKitGTK MiniBrowser driven by
// WebKitWebDriver over the W3C WebDriver HTTP protocol, on a private Xvfb display. A small client
// over fetch: the suite needs a dozen commands, and no client downloads a browser of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from '../server-process.ts';
import type { EngineDriver } from './driver.ts';

export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const XVFB = process.env.XVFB ?? '/usr/bin/Xvfb';

export function webkitAvailable(): boolean {
  return [WEBKIT_DRIVER, MINIBROWSER, XVFB].every((path) => existsSync(path));
}

/** The W3C name of an element reference in answers. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child) return;
  const gone = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await gone;
  clearTimeout(timer);
}

/** A display number nobody holds: its lock file and socket absent. */
function freeDisplay(): number {
  for (let n = 90 + Math.floor(Math.random() * 400); ; n++) {
    if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`webkit: ${what} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts Xvfb, WebKitWebDriver and a MiniBrowser session; close() stops all three. */
export async function launchWebKit(): Promise<EngineDriver> {
  let xvfb: ChildProcess | undefined;
  let driverProcess: ChildProcess | undefined;
  let log = '';
  const stopAll = async () => {
    await stopChild(driverProcess);
    await stopChild(xvfb);
  };
  try {
    const display = freeDisplay();
    xvfb = spawn(XVFB, [`:${display}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    await until('Xvfb', () => existsSync(`/tmp/.X11-unix/X${display}`));
    const port = await freePort();
    driverProcess = spawn(WEBKIT_DRIVER, [`--port=${port}`], {
      env: { ...process.env, DISPLAY: `:${display}`, GDK_BACKEND: 'x11', WEBKIT_DISABLE_COMPOSITING_MODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    driverProcess.stdout?.on('data', (c: Buffer) => (log += c.toString()));
    driverProcess.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    const base = `http://127.0.0.1:${port}`;
    await until('WebKitWebDriver', async () => {
      try {
        return (await fetch(`${base}/status`)).ok;
      } catch {
        return false;
      }
    });

    async function command<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
      const res = await fetch(base + path, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
      });
      const json = (await res.json()) as { value: T & { error?: string; message?: string } };
      if (!res.ok) throw new Error(`webkit ${method} ${path}: ${json.value?.error} ${json.value?.message}\n${log.slice(-2000)}`);
      return json.value;
    }

    const session = await command<{ sessionId: string }>('POST', '/session', {
      capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] }, timeouts: { script: 60_000 } } },
    });
    const s = `/session/${session.sessionId}`;
    await command('POST', `${s}/window/rect`, { width: 412, height: 800 }).catch(() => undefined);

    const find = async (css: string): Promise<string> => {
      const el = await command<Record<string, string>>('POST', `${s}/element`, { using: 'css selector', value: css });
      return el[ELEMENT]!;
    };

    const driver: EngineDriver = {
      engine: 'webkit',
      goto: async (url) => void (await command('POST', `${s}/url`, { url })),
      reload: async () => void (await command('POST', `${s}/refresh`)),
      async run<T>(fn: string, ...args: unknown[]): Promise<T> {
        // Errors come back as values: WebKit reports a rejected script without its message.
        const script = `const done = arguments[arguments.length - 1];
          Promise.resolve().then(() => (${fn})(...Array.prototype.slice.call(arguments, 0, -1)))
            .then((value) => done({ ok: true, value: value === undefined ? null : value }), (e) => done({ ok: false, error: String(e && e.stack || e) }));`;
        const out = await command<{ ok: boolean; value?: T; error?: string }>('POST', `${s}/execute/async`, { script, args });
        if (!out.ok) throw new Error(`webkit page script failed: ${out.error}`);
        return out.value as T;
      },
      async click(css) {
        await command('POST', `${s}/element/${await find(css)}/click`);
      },
      async type(css, text) {
        await command('POST', `${s}/element/${await find(css)}/value`, { text });
      },
      async restart() {
        // MiniBrowser in automation mode keeps its website data in memory for the session only
        // (an ephemeral data store: no profile directory to reopen). So the page is closed and a
        // new window opened in the same browser: the page, its JavaScript and its worker client
        // are gone; what survives is what IndexedDB and the service worker hold.
        const old = await command<string>('GET', `${s}/window`);
        const fresh = await command<{ handle: string }>('POST', `${s}/window/new`, { type: 'window' });
        await command('POST', `${s}/window`, { handle: old });
        await command('DELETE', `${s}/window`);
        await command('POST', `${s}/window`, { handle: fresh.handle });
      },
      async close() {
        await command('DELETE', s).catch(() => undefined);
        await stopAll();
      },
    };
    return driver;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
