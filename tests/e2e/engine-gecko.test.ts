// The core promise in Gecko, Firefox's engine: Debian's Firefox ESR over WebDriver BiDi
// (tests/support/engines/), with a profile directory kept across the browser's restart. Skipped,
// loudly, where Firefox is missing (tests/support/e2e-build.ts); CI installs it and must run it.
import { inject } from 'vitest';
import { describeCorePromise } from '../support/engines/core-promise.ts';
import { launchGecko } from '../support/engines/gecko.ts';

describeCorePromise(inject('gecko'), {
  title: 'Gecko: the core promise',
  launch: (profile) => launchGecko(profile),
  keepsBlobs: true,
});
