// A photo or document field. The submission carries only the file's reference, {sha256, type,
// size}, computed here with WebCrypto; the bytes themselves travel in the attachments issue, so
// the field says that plainly instead of pretending to upload.
import { useState } from 'react';
import { DEFAULT_ACCEPT, isRecord } from '../../../../core/forms/validate.ts';
import type { FileRef } from '../../../../core/forms/definition.ts';
import { useI18n } from '../../../i18n/use-i18n.ts';
import { FieldShell, type FieldProps } from './field-shell.tsx';

async function fileRef(file: File): Promise<FileRef> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  const sha256 = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  // An unnamed type is recorded as such, so the validator names it "not accepted" rather than
  // "unreadable".
  return { sha256, type: file.type || 'application/octet-stream', size: file.size };
}

export function FileField(props: FieldProps) {
  const { field, path, value, onChange, onBlur } = props;
  const { t, size } = useI18n();
  const [state, setState] = useState<'idle' | 'reading' | 'failed'>('idle');
  const ref = isRecord(value) && typeof value.sha256 === 'string' ? (value as unknown as FileRef) : undefined;
  const accept = (field.accept ?? (field.type === 'photo' ? DEFAULT_ACCEPT.photo : DEFAULT_ACCEPT.document)).join(',');
  return (
    <FieldShell {...props} group={false}>
      {(d) => (
        <>
          <input
            id={d.id}
            type="file"
            accept={accept}
            // On phones a photo field opens the camera straight away; the gallery stays one tap off.
            capture={field.type === 'photo' ? 'environment' : undefined}
            aria-invalid={d.invalid}
            aria-describedby={d.describedBy}
            onBlur={() => onBlur(path)}
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setState('reading');
              try {
                onChange(await fileRef(file));
                setState('idle');
              } catch {
                setState('failed');
              }
              onBlur(path);
            }}
          />
          <p className="hint" role="status">
            {state === 'reading' ? t('fileReading') : ref ? t('fileChosen', { type: ref.type, size: size(ref.size) }) : ''}
          </p>
          {state === 'failed' && <p className="error">{t('fileFailed')}</p>}
          <p className="hint">{t('fileLater')}</p>
          {ref && (
            <button type="button" className="secondary" onClick={() => onChange(undefined)}>
              {t('fileRemove')}
            </button>
          )}
        </>
      )}
    </FieldShell>
  );
}
