// A receipt number as people read it out at a counter: groups of four that never break in the
// middle (the line may wrap only between groups), and, where asked, a button that copies it.
import { Button } from './button.tsx';
import { Fragment, useState } from 'react';
import { formatReceipt } from '../../core/ids.ts';
import { useI18n } from '../i18n/use-i18n.ts';

export function ReceiptNumber({ id, copy = false, testId }: { id: string; copy?: boolean; testId?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const groups = formatReceipt(id).split('-');

  async function copyIt() {
    try {
      await navigator.clipboard.writeText(formatReceipt(id));
      setCopied('done');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <>
      <span className="receipt" data-testid={testId}>
        {groups.map((g, i) => (
          <Fragment key={i}>
            <span className="receipt-group">{i < groups.length - 1 ? `${g}-` : g}</span>
            {i < groups.length - 1 && <wbr />}
          </Fragment>
        ))}
      </span>
      {copy && (
        <>
          {' '}
          <Button className="copy-receipt" onClick={() => void copyIt()}>
            {t('copyReceipt')}
          </Button>
          <span role="status" className="meta">
            {copied === 'done' ? t('receiptCopied') : copied === 'failed' ? t('receiptCopyFailed') : ''}
          </span>
        </>
      )}
    </>
  );
}
