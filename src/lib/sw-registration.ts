// Registers the service worker through workbox-window and owns the update flow: a new version
// waits until the person agrees, and the page reloads once, only after that agreement (so a
// reload loop cannot start). Drafts autosave on every change, so a reload never loses one.
import { Workbox } from 'workbox-window';
import { create } from 'zustand';

interface UpdateState {
  updateReady: boolean;
  applyUpdate(): void;
  dismiss(): void;
}

let workbox: Workbox | undefined;
let reloading = false;

export const useUpdate = create<UpdateState>((set) => ({
  updateReady: false,
  applyUpdate() {
    if (!workbox) return;
    workbox.addEventListener('controlling', () => {
      if (reloading) return;
      reloading = true;
      window.location.reload();
    });
    workbox.messageSkipWaiting();
    set({ updateReady: false });
  },
  dismiss: () => set({ updateReady: false }),
}));

export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | undefined> {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return undefined;
  workbox = new Workbox('/sw.js', { scope: '/', type: 'classic' });
  workbox.addEventListener('waiting', () => useUpdate.setState({ updateReady: true }));
  // Check for a new version when the app comes back to the foreground.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void workbox?.update();
  });
  return workbox.register();
}
