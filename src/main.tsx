import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadScreen } from './app/app.tsx';
import { registerServiceWorker } from './lib/sw-registration.ts';
import './app/styles.css';

performance.mark('jangkau:main');
preloadScreen(window.location.hash);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
void registerServiceWorker();
