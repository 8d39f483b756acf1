// What a queued request's screen says where the browser engine lacks something the queue leans on
// (src/lib/engine-features.ts): no Background Sync, iOS Safari off the home screen, storage the
// browser does not promise to keep. Each found by a feature test, never by the user-agent string.
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/open-db.ts';
import { getMeta, setMeta } from '../../db/meta.ts';
import { href } from '../../app/router.ts';
import { useSync } from '../../app/sync-client.ts';
import { engineNotices, type EngineGlobals, type EngineNotices } from '../../lib/engine-features.ts';
import { useEngineText } from './engine-text.ts';
import { Button } from '../../app/button.tsx';

/** This engine's gaps, as notices; the storage one until the person has dismissed it once. */
export function useEngineNotices(): EngineNotices {
  const persist = useSync((s) => s.persist);
  // Counted as seen while it is read, so it never flashes on a phone that dismissed it.
  const seen = useLiveQuery(async () => (await getMeta(db, 'storageNoticeSeen')) === true, [], true);
  return engineNotices(window as unknown as EngineGlobals, persist, seen);
}

/** The home-screen steps (iOS Safari) and the storage warning, for a queued request. */
export function EngineGapNotices({ notices }: { notices: EngineNotices }) {
  const et = useEngineText();
  return (
    <>
      {notices.addToHomeScreen && (
        <div className="notice" role="note" data-testid="home-screen-hint">
          <strong>{et('homeScreenTitle')}</strong>
          <p>{et('homeScreenSteps')}</p>
          <p>{et('homeScreenWhy')}</p>
        </div>
      )}
      {notices.storageAtRisk && (
        <div className="notice bad" role="note" data-testid="storage-at-risk">
          <p>{et('storageAtRisk')}</p>
          <div className="actions">
            <a className="button secondary" href={href({ name: 'backupSave' })}>
              {et('storageSaveCopy')}
            </a>
            <Button onClick={() => void setMeta(db, 'storageNoticeSeen', true)}>
              {et('storageUnderstood')}
            </Button>
          </div>
        </div>
      )}
    </>
  );
}
