// The way into the safety copy from "Permohonan saya": "Simpan cadangan" while anything is
// unsent, "Buka cadangan" always (a new phone has nothing queued yet).
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/open-db.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { href } from '../../app/router.ts';

export function SafetyCopyLinks() {
  const { t } = useI18n();
  const unsent = useLiveQuery(() => db.outbox.count(), [], 0);
  return (
    <div className="actions" data-testid="safety-copy-links">
      {unsent > 0 && <a href={href({ name: 'backupSave' })}>{t('backupSave')}</a>}
      <a href={href({ name: 'backupOpen' })}>{t('backupOpen')}</a>
    </div>
  );
}
