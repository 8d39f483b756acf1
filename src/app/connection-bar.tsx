// Offline / syncing / synced, when the device last synced, what is waiting, and "Kirim sekarang".
import { Button } from './button.tsx';
import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { db, workDb } from '../db/open-db.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import type { MessageKey } from '../i18n/id.ts';
import { useSync } from './sync-client.ts';

type Shown = 'offline' | 'syncing' | 'synced' | 'error' | 'auth';

const LABELS: Record<Shown, MessageKey> = {
  offline: 'conn_offline',
  syncing: 'conn_syncing',
  synced: 'conn_synced',
  error: 'conn_error',
  auth: 'conn_auth',
};

/** Re-renders every 30 s so "5 menit lalu" stays true. */
function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function ConnectionBar() {
  const { t, relative, size } = useI18n();
  const { online, state, syncNow } = useSync();
  // Ticks now and then, so a sync that just ended can be later than it: never say "in 2 seconds".
  const now = useNow();
  const waiting = useLiveQuery(() => workDb().outbox.where('state').equals('queued').count(), [], 0);
  // null while it is being read: neither "Belum pernah sinkron" nor "Tersinkron" before it is known.
  const lastSyncAt = useLiveQuery(async () => ((await db.meta.get('lastSyncAt'))?.value as number | undefined) ?? 0, [], null);
  // "Kirim sekarang" with no signal said nothing: it says why nothing went, and that nothing is lost.
  const [pressedOffline, setPressedOffline] = useState(false);

  let shown: Shown;
  // The browser's "offline" is reliable (its "online" is not), so it wins over a sync attempt.
  if (!online) shown = 'offline';
  else if (state?.phase === 'syncing') shown = 'syncing';
  else if (state?.phase === 'offline') shown = 'offline';
  else if (state?.phase === 'auth_required') shown = 'auth';
  else if (state?.phase === 'error' || waiting > 0) shown = 'error';
  else shown = 'synced';
  const offline = shown === 'offline';
  useEffect(() => {
    if (!offline) setPressedOffline(false);
  }, [offline]);
  // A device that never finished a sync is not "Tersinkron" (a first visit flashed it in green).
  const claimsSynced = shown === 'synced' && !!lastSyncAt;

  function sendNow() {
    if (offline) setPressedOffline(true);
    syncNow();
  }

  return (
    <div className="conn" role="status" aria-live="polite">
      {(shown !== 'synced' || claimsSynced) && (
        <span className="conn-state" data-state={shown} data-testid="connection-state">
          {t(LABELS[shown])}
        </span>
      )}
      {lastSyncAt !== null && (
        <span className="meta" data-testid="last-sync">
          {lastSyncAt ? t('lastSync', { when: relative(lastSyncAt, Math.max(now, lastSyncAt)) }) : t('neverSynced')}
        </span>
      )}
      {state?.phase === 'syncing' && state.total.items > 0 && (
        <span className="meta" data-testid="sync-progress">
          {t('progress', {
            items: state.sent.items,
            total: state.total.items,
            sent: size(state.sent.bytes),
            size: size(state.total.bytes),
          })}
        </span>
      )}
      {state?.phase === 'syncing' && state.uploads && state.uploads.files > 0 && (
        <span className="meta" data-testid="upload-progress">
          {t('uploadProgress', {
            done: state.uploads.done,
            files: state.uploads.files,
            sent: size(state.uploads.sentBytes),
            size: size(state.uploads.bytes),
          })}
        </span>
      )}
      {waiting > 0 && (
        <span className="meta" data-testid="waiting-count">
          {t('waitingCount', { n: waiting })}
        </span>
      )}
      <Button onClick={sendNow} disabled={state?.phase === 'syncing'}>
        {t('sendNow')}
      </Button>
      {pressedOffline && offline && (
        <span className="notice" data-testid="send-now-offline">
          {t('sendNowOffline')}
        </span>
      )}
    </div>
  );
}
