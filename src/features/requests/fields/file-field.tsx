// A photo or document field. A chosen photo is downscaled off the main thread (long edge at most
// the field's maxEdge, 1600 px by default) and re-encoded; a PDF goes as it is, within the field's
// size limit. The bytes are stored on the device under their sha256 before the answer refers to
// them, so a draft never points at a file the phone does not hold; the submission carries only
// {sha256, type, size}, and the sync uploads the bytes after the data.
import { Button } from '../../../app/button.tsx';
import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { DEFAULT_ACCEPT, DEFAULT_MAX_BYTES, isRecord } from '../../../../core/forms/validate.ts';
import type { FieldDef, FileRef } from '../../../../core/forms/definition.ts';
import { sha256Hex } from '../../../../core/hash.ts';
import { storeAttachment } from '../../../db/attachments.ts';
import { workDb } from '../../../db/open-db.ts';
import { useI18n } from '../../../i18n/use-i18n.ts';
import type { MessageKey } from '../../../i18n/id.ts';
import { usePreviewUrl } from '../preview-url.ts';
import { FieldShell, type FieldProps } from './field-shell.tsx';

/** Long edge of the preview kept on the device after the file itself was sent. */
const THUMB_EDGE = 160;
const THUMB_BYTES = 12_000;

type Prepared =
  | { ok: true; blob: Blob; type: string; thumb?: Blob; width?: number; height?: number; originalBytes: number }
  | { ok: false; problem: MessageKey; params?: Record<string, string> };

/** Turns the chosen file into what is stored and sent: a downscaled JPEG, or the PDF itself. */
async function prepare(file: File, field: FieldDef, accept: readonly string[], maxBytes: number, size: (n: number) => string): Promise<Prepared> {
  const type = file.type || 'application/octet-stream';
  const tooBig = (n: number): Prepared => ({ ok: false, problem: 'fileTooBig', params: { size: size(n), max: size(maxBytes) } });
  if (type.startsWith('image/')) {
    // Lazily loaded: the downscaler and its worker are not part of the first load.
    const { downscaleImage } = await import('../../../lib/image-downscale.ts');
    const out = await downscaleImage(file, field.maxEdge ? { maxEdge: field.maxEdge } : {});
    if (!out.ok) return { ok: false, problem: 'fileNotImage' };
    if (!accept.includes(out.blob.type)) return { ok: false, problem: 'fileWrongType' };
    if (out.blob.size > maxBytes) return tooBig(out.blob.size);
    const thumb = await downscaleImage(out.blob, { maxEdge: THUMB_EDGE, targetBytes: THUMB_BYTES });
    return {
      ok: true,
      blob: out.blob,
      type: out.blob.type,
      width: out.width,
      height: out.height,
      originalBytes: file.size,
      ...(thumb.ok ? { thumb: thumb.blob } : {}),
    };
  }
  if (!accept.includes(type)) return { ok: false, problem: 'fileWrongType' };
  if (file.size > maxBytes) return tooBig(file.size);
  return { ok: true, blob: file, type, originalBytes: file.size };
}

export function FileField(props: FieldProps) {
  const { field, path, value, onChange, onBlur, holder } = props;
  const { t, size } = useI18n();
  const [busy, setBusy] = useState<'idle' | 'reading' | 'shrinking'>('idle');
  const [problem, setProblem] = useState<string | undefined>();
  const [shrunk, setShrunk] = useState<{ from: number; to: number } | undefined>();
  const ref = isRecord(value) && typeof value.sha256 === 'string' ? (value as unknown as FileRef) : undefined;
  const kind = field.type === 'photo' ? 'photo' : 'document';
  const accept = field.accept ?? DEFAULT_ACCEPT[kind];
  const maxBytes = field.maxBytes ?? DEFAULT_MAX_BYTES[kind];
  const stored = useLiveQuery(async () => (ref ? ((await workDb().attachments.get(ref.sha256)) ?? null) : null), [ref?.sha256]);
  const preview = usePreviewUrl(stored?.thumb);

  async function choose(file: File) {
    setProblem(undefined);
    setShrunk(undefined);
    setBusy(file.type.startsWith('image/') ? 'shrinking' : 'reading');
    try {
      const prepared = await prepare(file, field, accept, maxBytes, size);
      if (!prepared.ok) {
        setProblem(t(prepared.problem, prepared.params));
        return;
      }
      const sha256 = await sha256Hex(new Uint8Array(await prepared.blob.arrayBuffer()));
      const toStore = {
        sha256,
        type: prepared.type,
        blob: prepared.blob,
        ...(prepared.thumb ? { thumb: prepared.thumb } : {}),
        ...(prepared.width ? { width: prepared.width, height: prepared.height } : {}),
      };
      // WebKit refuses to keep a Blob in IndexedDB in an ephemeral session (a private window):
      // the file was read and shrunk, only keeping it failed, so say that, not "cannot be read".
      // A locked officer's device refuses too; that one stays the general failure below.
      const saved = await storeAttachment(workDb(), toStore, Date.now(), holder).catch((error: unknown) => {
        if (error instanceof Error && error.name === 'DeviceLockedError') throw error;
        return { ok: false as const, reason: 'unstorable' as const };
      });
      if (!saved.ok && saved.reason === 'unstorable') {
        setProblem(t('fileNotStorable'));
        return;
      }
      if (!saved.ok) {
        // Nothing else changed: the queue and the drafts are as they were.
        setProblem(t('quotaFull'));
        return;
      }
      if (prepared.blob.size < prepared.originalBytes) setShrunk({ from: prepared.originalBytes, to: prepared.blob.size });
      onChange({ sha256, type: prepared.type, size: prepared.blob.size });
    } catch {
      setProblem(t('fileFailed'));
    } finally {
      setBusy('idle');
      onBlur(path);
    }
  }

  const status = busy === 'shrinking' ? t('fileShrinking') : busy === 'reading' ? t('fileReading') : ref ? t('fileChosen', { type: ref.type, size: size(ref.size) }) : '';
  return (
    <FieldShell {...props} group={false}>
      {(d) => (
        <>
          <input
            id={d.id}
            type="file"
            accept={accept.join(',')}
            // On phones a photo field opens the camera straight away; the gallery stays one tap off.
            capture={field.type === 'photo' ? 'environment' : undefined}
            aria-invalid={d.invalid}
            aria-describedby={d.describedBy}
            disabled={busy !== 'idle'}
            onBlur={() => onBlur(path)}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void choose(file);
            }}
          />
          {preview && <img className="file-preview" src={preview} alt={t('filePreview')} data-testid="file-preview" width={THUMB_EDGE} />}
          <p className="hint" role="status" data-testid="file-status" data-sha256={ref?.sha256}>
            {status}
            {shrunk && busy === 'idle' ? ` ${t('fileShrunk', { from: size(shrunk.from), to: size(shrunk.to) })}` : ''}
          </p>
          {problem && (
            <p className="error" role="alert">
              {problem}
            </p>
          )}
          <p className="hint">{t('fileLater')}</p>
          {ref && (
            <Button
             
              onClick={() => {
                setShrunk(undefined);
                onChange(undefined);
              }}
            >
              {t('fileRemove')}
            </Button>
          )}
        </>
      )}
    </FieldShell>
  );
}
