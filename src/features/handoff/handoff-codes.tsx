// "Serahkan ke petugas": a queued submission as QR codes for the officer's phone to scan, one at
// a time, largest on the screen. The contents are sealed to the server's key; the officer's
// phone learns only the receipt number. Lazily loaded with the QR generator.
import { Button } from '../../app/button.tsx';
import { useEffect, useState } from 'react';
import type { FormDef } from '../../../core/forms/definition.ts';
import { makeHandoffBundle } from '../../../core/handoff/handoff-bundle.ts';
import { bundleToQrTexts } from '../../../core/handoff/qr-parts.ts';
import { qrSvg } from '../../../core/handoff/qr-render.ts';
import type { SubmissionEnvelope } from '../../../core/protocol.ts';
import { packFieldsOf } from '../../../core/sealed/form-fields.ts';
import { useHandoffText } from './handoff-text.ts';
import { useChannelSettings } from './use-channel-settings.ts';

export function HandoffCodes({ envelope, form }: { envelope: SubmissionEnvelope; form: FormDef }) {
  const t = useHandoffText();
  const settings = useChannelSettings();
  const [codes, setCodes] = useState<string[]>();
  const [shown, setShown] = useState(0);

  useEffect(() => {
    if (!settings) return;
    let live = true;
    void makeHandoffBundle(settings.key, envelope, packFieldsOf(form))
      .then(bundleToQrTexts)
      .then((texts) => {
        if (!live) return;
        setCodes(texts.map(qrSvg));
        setShown(0);
      });
    return () => {
      live = false;
    };
  }, [settings, envelope, form]);

  if (!settings) {
    return (
      <p className="notice" data-testid="handoff-unavailable">
        {t('handoffNeedsKey')}
      </p>
    );
  }
  if (!codes) return null;
  const total = codes.length;
  return (
    <section aria-labelledby="handoff-heading" data-testid="handoff-codes">
      <h1 id="handoff-heading">{t('handoffShowCodes')}</h1>
      <p>{t('handoffCodesIntro')}</p>
      <p role="status" data-testid="handoff-code-of">
        {t('handoffCodeOf', { i: shown + 1, n: total })}
      </p>
      {/* Our own SVG, made from base45 text: nothing from outside goes into this markup. */}
      <div className="qr" role="img" aria-label={t('handoffCodeOf', { i: shown + 1, n: total })} dangerouslySetInnerHTML={{ __html: codes[shown] ?? '' }} />
      {total > 1 && (
        <div className="actions">
          <Button disabled={shown === 0} onClick={() => setShown((i) => i - 1)}>
            {t('handoffPrevCode')}
          </Button>
          <Button disabled={shown === total - 1} onClick={() => setShown((i) => i + 1)}>
            {t('handoffNextCode')}
          </Button>
        </div>
      )}
    </section>
  );
}
