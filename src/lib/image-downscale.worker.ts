// The dedicated worker behind downscaleImage: decoding and encoding a 12-megapixel photo takes
// seconds on a low-end phone, which must not freeze the form the person is filling in.
import { downscaleOnSurface, workerSurface, type DownscaleRequest, type DownscaleResult } from './image-downscale.ts';

// Typed by hand: this file compiles under the page's DOM lib, whose `self` is a Window.
const scope = globalThis as unknown as {
  addEventListener(type: 'message', listener: (event: MessageEvent<DownscaleRequest>) => void): void;
  postMessage(message: DownscaleResult): void;
};

scope.addEventListener('message', (event) => {
  const { file, options } = event.data;
  void downscaleOnSurface(file, options, workerSurface).then(
    (result) => scope.postMessage(result),
    // An unexpected failure (no 2d context here) surfaces as the worker's error event, and the page
    // falls back to its own canvas.
    (error: unknown) => {
      setTimeout(() => {
        throw error;
      });
    },
  );
});
