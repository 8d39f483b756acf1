// "Buka cadangan": a safety copy file and its passphrase put the requests it holds into this
// phone's queue under their original ids; then a sync is asked for. Every refusal is said in
// words beside the field it concerns. Lazily loaded, like the save screen.
import { Button } from '../../app/button.tsx';
import { useRef, useState, type FormEvent } from 'react';
import { db } from '../../db/open-db.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { href } from '../../app/router.ts';
import { InputField } from '../../app/input-field.tsx';
import { useSync } from '../../app/sync-client.ts';
import { importSafetyCopy } from '../../lib/safety-copy.ts';
import { refusalMessage } from './copy-messages.ts';
import { useCopyText, type CopyKey } from './copy-texts.ts';

type Errors = { file?: CopyKey; passphrase?: CopyKey; screen?: CopyKey | 'quotaFull' };
type Phase = { name: 'idle' } | { name: 'opening' } | { name: 'done'; imported: number; skipped: number };

export function OpenCopyScreen() {
  const { t } = useI18n();
  const ct = useCopyText();
  const afterQueued = useSync((s) => s.afterQueued);
  const [file, setFile] = useState<File | undefined>();
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const fileRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);

  async function open(event: FormEvent) {
    event.preventDefault();
    const missing: Errors = {};
    if (!file) missing.file = 'backupFileMissing';
    if (passphrase === '') missing.passphrase = 'backupPassphraseMissing';
    setErrors(missing);
    if (missing.file) return fileRef.current?.focus();
    if (missing.passphrase || !file) return passRef.current?.focus();
    setPhase({ name: 'opening' });
    let result: Awaited<ReturnType<typeof importSafetyCopy>>;
    try {
      result = await importSafetyCopy(db, file, passphrase);
    } catch {
      // Not a refusal the importer knows (the file vanished from the picker, storage broke).
      setErrors({ screen: 'backupOpenFailed' });
      setPhase({ name: 'idle' });
      return;
    }
    if (result.ok) {
      setPhase({ name: 'done', imported: result.imported, skipped: result.skipped });
      setPassphrase('');
      if (result.imported > 0) afterQueued();
      return;
    }
    const { place, key } = refusalMessage(result.reason);
    setErrors({ [place]: key });
    setPhase({ name: 'idle' });
    // A wrong passphrase is retyped; a wrong file is chosen again.
    if (place === 'passphrase') passRef.current?.focus();
    else if (place === 'file') fileRef.current?.focus();
  }

  const busy = phase.name === 'opening';
  return (
    <>
      <h1>{ct('backupOpen')}</h1>
      <p>{ct('backupOpenIntro')}</p>
      {phase.name === 'done' && (
        <div className="notice" role="status" data-testid="backup-imported">
          <p>
            {ct('backupImported', { n: phase.imported })}
            {phase.skipped > 0 && <> {ct('backupSkipped', { n: phase.skipped })}</>}
          </p>
          <p>
            <a className="link-row" href={href({ name: 'requests' })}>
              {t('navMyRequests')}
            </a>
          </p>
        </div>
      )}
      {errors.screen && (
        <p className="notice bad" role="alert">
          {errors.screen === 'quotaFull' ? t('quotaFull') : ct(errors.screen)}
        </p>
      )}
      <form noValidate onSubmit={open} aria-busy={busy}>
        <InputField
          ref={fileRef}
          id="backup-file"
          label={ct('backupFile')}
          help={ct('backupFileHelp')}
          error={errors.file && ct(errors.file)}
          alert
          type="file"
          disabled={busy}
          onChange={(e) => {
            setFile(e.target.files?.[0]);
            setErrors({});
            setPhase({ name: 'idle' });
          }}
        />
        <InputField
          ref={passRef}
          id="backup-open-pass"
          label={ct('backupPassphrase')}
          error={errors.passphrase && ct(errors.passphrase)}
          alert
          type="password"
          autoComplete="current-password"
          value={passphrase}
          disabled={busy}
          onChange={(e) => setPassphrase(e.target.value)}
        />
        <div className="actions">
          <Button variant="primary" type="submit" disabled={busy}>
            {ct('backupOpenButton')}
          </Button>
          <span role="status" className="meta">
            {busy && (
              <>
                <progress aria-label={ct('backupOpening')} /> {ct('backupOpening')}
              </>
            )}
          </span>
        </div>
      </form>
      <p>
        <a className="link-row" href={href({ name: 'requests' })}>{t('back')}</a>
      </p>
    </>
  );
}
