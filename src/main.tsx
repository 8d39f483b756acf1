// The page's entry: no React DOM here. It starts the opening screen's work (the officer state's
// read from IndexedDB, the screen's chunk, a form's reads) and then loads the shell (start.tsx), so
// that IndexedDB opens and answers while React DOM is fetched, compiled and run on a slow phone's
// busy main thread, instead of after it (bench:slow-phone). index.html preloads the shell's chunk
// (vite.config.ts), so asking for it here waits for no download.
import { preloadScreen } from './app/screen-chunks.ts';
import './app/styles.css';

performance.mark('jangkau:main');
void preloadScreen(window.location.hash);
void import('./app/start.tsx');
