// One small interface over the two drivers of the engine suites (WebKit through W3C WebDriver,
// Gecko through WebDriver BiDi), so the core promise is written once and run in each engine.
// Everything a step does goes through the engine itself: real clicks and typing from the driver,
// page scripts for what a person sees.

export type EngineName = 'webkit' | 'gecko';

export interface EngineDriver {
  readonly engine: EngineName;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /**
   * Runs `fn` (the source of a possibly async function) in the page with JSON arguments and
   * returns its JSON result.
   */
  run<T>(fn: string, ...args: unknown[]): Promise<T>;
  /** The driver's own click on the first element matching `css` (scrolled into view). */
  click(css: string): Promise<void>;
  /** The driver's own key presses into the first element matching `css`. */
  type(css: string, text: string): Promise<void>;
  /**
   * Closes what the person closes and opens it again on the same storage: the whole browser on the
   * same profile where the engine keeps one (Gecko), else the page's window (see webkit.ts).
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Polls a page function until it returns something truthy; the failure names what was awaited. */
export async function waitInPage<T>(driver: EngineDriver, what: string, fn: string, args: unknown[] = [], timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await driver.run<T>(fn, ...args);
      if (last) return last as T;
    } catch (error) {
      // A navigation under way drops the script; try again.
      last = error;
    }
    if (Date.now() > deadline) {
      // What the page showed instead: the next failure says where the app stood.
      const shown = await driver
        .run<string>(`() => location.hash + ' | ' + (document.querySelector('main') || document.body).innerText.replace(/\\s+/g, ' ').slice(0, 600)`)
        .catch((error: unknown) => `(page unreadable: ${String(error)})`);
      throw new Error(`${driver.engine}: waited ${timeoutMs} ms for ${what}; last: ${String(last)}; the page: ${shown}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * Marks the first element matching `css` whose text contains `text` with a unique attribute, and
 * returns a selector for it, so the driver's own click can hit "the button that says X".
 */
export async function byText(driver: EngineDriver, css: string, text: string, timeoutMs?: number): Promise<string> {
  const mark = `m${Math.random().toString(36).slice(2)}`;
  await waitInPage(
    driver,
    `${css} with "${text}"`,
    `(css, text, mark) => {
      const el = [...document.querySelectorAll(css)].find((e) => (e.textContent || '').includes(text));
      if (!el) return false;
      el.setAttribute('data-engine-target', mark);
      return true;
    }`,
    [css, text, mark],
    timeoutMs,
  );
  return `[data-engine-target="${mark}"]`;
}

/** The visible text of the first element matching `css`, once there is one. */
export function textOf(driver: EngineDriver, css: string, timeoutMs?: number): Promise<string> {
  return waitInPage(driver, css, `(css) => { const el = document.querySelector(css); return el ? (el.textContent || ' ') : false; }`, [css], timeoutMs);
}
