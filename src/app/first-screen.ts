// When the opening screen is drawn, so work the person does not wait for (the sync engine's
// chunks, its first pass over the queue) starts after it rather than beside it: on a slow phone
// they otherwise share the one busy core with the first screen (bench:slow-phone). The shell marks
// the screen's chunk committed (firstScreenShown); a screen that draws only after reading the
// device (the form) holds the mark until it has drawn (holdFirstScreen).
let shown = false;
let holds = 0;
const waiting: (() => void)[] = [];

function settle(): void {
  if (shown && holds === 0) for (const resolve of waiting.splice(0)) resolve();
}

/** The opening screen's chunk has rendered and committed. */
export function firstScreenShown(): void {
  performance.mark('jangkau:screen-committed');
  shown = true;
  settle();
}

/** Until the returned release is called, the first screen does not count as drawn. */
export function holdFirstScreen(): () => void {
  holds++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds--;
    settle();
  };
}

/** Resolves once the first screen is drawn (a screen that never says so: see the shell's fallback). */
export function whenFirstScreenDrawn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    settle();
  });
}
