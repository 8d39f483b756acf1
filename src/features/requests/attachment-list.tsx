// A request's photos and documents and how far each got: waiting, sending (bytes the server
// acknowledged), sent, or refused. Reads the rows the upload phase writes, so it moves while the
// page or the service worker uploads.
import { attachmentTotals } from '../../db/attachments.ts';
import type { StoredFile } from '../../db/crypto-at-rest.ts';
import type { AttachmentRow } from '../../db/schema.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { usePreviewUrl } from './preview-url.ts';
import { attachmentLabel } from './receipt-state.ts';

function Thumb({ blob, alt }: { blob: StoredFile; alt: string }) {
  const url = usePreviewUrl(blob);
  return url ? <img className="file-preview" src={url} alt={alt} width={64} /> : null;
}

export function AttachmentList({ files, missing = [] }: { files: readonly AttachmentRow[]; missing?: readonly string[] }) {
  const { t, size } = useI18n();
  const totals = attachmentTotals(files);
  const sorted = [...files].sort((a, b) => a.createdAt - b.createdAt);
  return (
    <section aria-labelledby="attachments-title" data-testid="attachments">
      <h2 id="attachments-title">{t('attachmentsHeading')}</h2>
      <p className="meta" data-testid="attachments-total" data-done={totals.done} data-files={totals.files}>
        {t('attachmentsProgress', { done: totals.done, files: totals.files, sent: size(totals.sentBytes), size: size(totals.bytes) })}
      </p>
      <ul className="list">
        {sorted.map((f) => {
          const label = attachmentLabel(f);
          return (
            <li key={f.sha256} data-testid="attachment" data-sha256={f.sha256} data-state={f.state}>
              {f.thumb && <Thumb blob={f.thumb} alt={t('filePreview')} />}
              <span className="meta">
                {f.type} · {size(f.size)} · {t(label, { sent: size(f.bytesSent), size: size(f.size), reason: f.error ?? '' })}
              </span>
              {(f.state === 'waiting' || f.state === 'uploading') && <progress max={f.size} value={f.bytesSent} aria-label={t(label, { sent: size(f.bytesSent), size: size(f.size) })} />}
            </li>
          );
        })}
        {missing.map((sha) => (
          <li key={sha} data-testid="attachment" data-sha256={sha} data-state="missing">
            <span className="meta">{t('att_missing')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
