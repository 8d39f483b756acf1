// "Simpan cadangan": every unsent request (and its files) into one passphrase-locked file the
// person downloads and keeps. Lazily loaded: the crypto and this screen are not on the first load.
import { Button } from '../../app/button.tsx';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/open-db.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { href } from '../../app/router.ts';
import { InputField } from '../../app/input-field.tsx';
import { exportSafetyCopy } from '../../lib/safety-copy.ts';
import { safetyCopyFileName } from '../../lib/safety-copy-format.ts';
import { copyEstimate } from './copy-size.ts';
import { useCopyText } from './copy-texts.ts';
import { newPassphraseErrors } from './copy-messages.ts';
import { downloadBlob } from './download-blob.ts';

type Phase = { name: 'idle' } | { name: 'locking' } | { name: 'saved'; items: number; file: string; bytes: number; url: string } | { name: 'failed' };

export function SaveCopyScreen() {
  const { t, size } = useI18n();
  const ct = useCopyText();
  const rows = useLiveQuery(() => db.outbox.toArray(), []);
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [tried, setTried] = useState(false);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const firstRef = useRef<HTMLInputElement>(null);
  const secondRef = useRef<HTMLInputElement>(null);
  const url = phase.name === 'saved' ? phase.url : undefined;

  // The object URL holds the whole file in memory; let it go with the screen.
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);

  if (!rows) return null;
  const estimate = copyEstimate(rows);
  const errors = tried ? newPassphraseErrors(first, second) : {};

  async function save(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    const found = newPassphraseErrors(first, second);
    if (found.first) return firstRef.current?.focus();
    if (found.second) return secondRef.current?.focus();
    setPhase({ name: 'locking' });
    try {
      const copy = await exportSafetyCopy(db, first);
      const file = safetyCopyFileName();
      setPhase({ name: 'saved', items: copy.items, file, bytes: copy.blob.size, url: downloadBlob(copy.blob, file) });
      setFirst('');
      setSecond('');
      setTried(false);
    } catch {
      setPhase({ name: 'failed' });
    }
  }

  const busy = phase.name === 'locking';
  return (
    <>
      <h1>{ct('backupSave')}</h1>
      <p>{ct('backupSaveIntro')}</p>
      {phase.name === 'saved' && (
        <div className="notice" role="status" data-testid="backup-saved">
          <p>{ct('backupSaved', { n: phase.items, file: phase.file, size: size(phase.bytes) })}</p>
          <p>
            <a className="link-row" href={phase.url} download={phase.file}>
              {ct('backupDownloadAgain')}
            </a>
          </p>
        </div>
      )}
      {phase.name === 'failed' && (
        <p className="notice bad" role="alert">
          {ct('backupSaveFailed')}
        </p>
      )}
      {estimate.items === 0 ? (
        phase.name !== 'saved' && <p data-testid="backup-nothing">{ct('backupNothing')}</p>
      ) : (
        <form noValidate onSubmit={save} aria-busy={busy}>
          <p data-testid="backup-estimate">{ct('backupWaiting', { n: estimate.items, size: size(estimate.bytes) })}</p>
          <p className="notice bad">
            <strong>{ct('backupWarning')}</strong>
          </p>
          <InputField
            ref={firstRef}
            id="backup-pass"
            label={ct('backupPassphrase')}
            help={ct('backupPassphraseHelp')}
            error={errors.first && ct(errors.first)}
            type="password"
            autoComplete="new-password"
            value={first}
            disabled={busy}
            onChange={(e) => setFirst(e.target.value)}
          />
          <InputField
            ref={secondRef}
            id="backup-pass-again"
            label={ct('backupPassphraseAgain')}
            error={errors.second && ct(errors.second)}
            type="password"
            autoComplete="new-password"
            value={second}
            disabled={busy}
            onChange={(e) => setSecond(e.target.value)}
          />
          <div className="actions">
            <Button variant="primary" type="submit" disabled={busy}>
              {ct('backupSaveButton')}
            </Button>
            <span role="status" className="meta">
              {busy && (
                <>
                  <progress aria-label={ct('backupLocking')} /> {ct('backupLocking')}
                </>
              )}
            </span>
          </div>
        </form>
      )}
      <p>
        <a className="link-row" href={href({ name: 'requests' })}>{t('back')}</a>
      </p>
    </>
  );
}
