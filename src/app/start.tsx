// The shell's start, loaded by the entry module (src/main.tsx) once the opening screen's work is
// under way: React DOM, the shell, and the service worker's registration.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { registerServiceWorker } from '../lib/sw-registration.ts';

performance.mark('jangkau:shell');
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
void registerServiceWorker();
