// "Serahkan ke petugas": a queued submission as QR codes for the officer's phone to scan, one at
// a time, largest on the screen. The contents are sealed to the server's key; the officer's
// phone learns only the receipt number. Lazily loaded with the QR generator.
import { Button } from '../../app/button.tsx';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { FormDef } from '../../../core/forms/definition.ts';
import { makeHandoffBundle } from '../../../core/handoff/handoff-bundle.ts';
import { bundleToQrTexts } from '../../../core/handoff/qr-parts.ts';
import { qrImage, type QrImage } from '../../../core/handoff/qr-render.ts';
import type { SubmissionEnvelope } from '../../../core/protocol.ts';
import { packFieldsOf } from '../../../core/sealed/form-fields.ts';
import { useHandoffText } from './handoff-text.ts';
import { useChannelSettings } from './use-channel-settings.ts';

export function HandoffCodes({ envelope, form }: { envelope: SubmissionEnvelope; form: FormDef }) {
  const t = useHandoffText();
  const settings = useChannelSettings();
  const [codes, setCodes] = useState<QrImage[]>();
  const [shown, setShown] = useState(0);
  // The codes are made once per request and server key: each making seals anew, so codes made
  // again while the officer scans (the screen redrawn when the queue's row changes) would belong
  // to another hand-off and send the resident back to the first code.
  const source = useRef({ envelope, form, key: settings?.key });
  source.current = { envelope, form, key: settings?.key };
  const keyId = settings?.key.kid;

  useEffect(() => {
    const { key, envelope: item, form: def } = source.current;
    if (!key) return;
    let live = true;
    void makeHandoffBundle(key, item, packFieldsOf(def))
      .then(bundleToQrTexts)
      .then((texts) => {
        if (!live) return;
        setCodes(texts.map(qrImage));
        setShown(0);
      });
    return () => {
      live = false;
    };
  }, [keyId, envelope.id]);

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
      <QrPicture image={codes[shown]!} label={t('handoffCodeOf', { i: shown + 1, n: total })} />
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

/**
 * One code, as wide as the screen allows at a whole number of device pixels per module: at a
 * fraction of a pixel the modules come out unequal and a decoder misses about one picture in ten.
 */
function QrPicture({ image, label }: { image: QrImage; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [side, setSide] = useState<number>();
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const fit = () => {
      const ratio = window.devicePixelRatio || 1;
      const perModule = Math.max(1, Math.floor((element.clientWidth * ratio) / image.modules));
      setSide((perModule * image.modules) / ratio);
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    return () => observer.disconnect();
  }, [image.modules]);
  return (
    <div ref={box} className="qr" role="img" aria-label={label}>
      {/* Our own SVG, made from base45 text: nothing from outside goes into this markup. */}
      <div className="qr-code" style={{ width: side }} dangerouslySetInnerHTML={{ __html: image.svg }} />
    </div>
  );
}
