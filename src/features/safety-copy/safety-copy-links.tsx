// The way into the safety copy from "Permohonan saya": "Simpan cadangan" while anything is
// unsent, "Buka cadangan" always (a new phone has nothing queued yet).
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/open-db.ts';
import { useCopyText } from './copy-texts.ts';
import { href } from '../../app/router.ts';

export function SafetyCopyLinks() {
  const ct = useCopyText();
  const unsent = useLiveQuery(() => db.outbox.count(), [], 0);
  return (
    <div className="actions" data-testid="safety-copy-links">
      {unsent > 0 && <a href={href({ name: 'backupSave' })}>{ct('backupSave')}</a>}
      <a href={href({ name: 'backupOpen' })}>{ct('backupOpen')}</a>
    </div>
  );
}
