// The core promise in WebKit, Safari's engine (every browser on an iPhone): Debian's WebKitGTK
// under WebKitWebDriver (tests/support/engines/). Skipped, loudly, where the packages are missing
// (tests/support/e2e-build.ts); CI installs them and must run it.
import { inject } from 'vitest';
import { describeCorePromise } from '../support/engines/core-promise.ts';
import { launchWebKit } from '../support/engines/webkit.ts';

describeCorePromise(inject('webkit'), {
  title: 'WebKit: the core promise',
  // MiniBrowser's automation session keeps no profile directory (webkit.ts).
  launch: () => launchWebKit(),
  // Its session is ephemeral, and WebKit cannot store a Blob in IndexedDB in an ephemeral session
  // (docs/architecture.md, "Engines"): the photo is kept as its bytes (an ArrayBuffer) instead.
  keepsBlobs: false,
});
