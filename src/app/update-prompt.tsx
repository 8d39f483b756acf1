import { Button } from './button.tsx';
import { useI18n } from '../i18n/use-i18n.ts';
import { useUpdate } from '../lib/sw-registration.ts';

export function UpdatePrompt() {
  const { t } = useI18n();
  const { updateReady, applyUpdate, dismiss } = useUpdate();
  if (!updateReady) return null;
  return (
    <div className="banner" role="alert">
      <p>
        <strong>{t('updateAvailable')}</strong> {t('updateDraftsSafe')}
      </p>
      <div className="actions">
        <Button variant="primary" onClick={applyUpdate}>
          {t('updateNow')}
        </Button>
        <Button onClick={dismiss}>
          {t('updateLater')}
        </Button>
      </div>
    </div>
  );
}
