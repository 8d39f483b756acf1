// "Pindai titipan" on the officer's phone: the camera reads the resident's codes in any order;
// repeats are fine, damaged or foreign codes are refused with a word on what to do, and the
// complete hand-off (its receipt number in clear, its contents sealed) goes to `onComplete`.
// "Pilih gambar" reads the same codes from picture files (photos, screenshots; desktops).
// Lazily loaded: the camera loop and the JS decoder are not on the first load.
import { useEffect, useRef, useState } from 'react';
import { readHandoffBundle } from '../../../core/handoff/handoff-bundle.ts';
import { addScan, EMPTY_COLLECTION, type QrCollection, type ScanResult } from '../../../core/handoff/qr-parts.ts';
import { formatReceipt } from '../../../core/ids.ts';
import { useHandoffText } from './handoff-text.ts';
import { createFrameReader, readImageFile } from './frame-reader.ts';

const SCAN_EVERY_MS = 250;

const REFUSAL_KEYS = {
  not_jangkau: 'scanNotJangkau',
  corrupt: 'scanCorrupt',
  other_handoff: 'scanOtherHandoff',
  whole_check: 'scanWholeCheck',
} as const;

export interface ScanHandoffProps {
  /** Stores the complete bundle (with the receipt number it carries) in the officer's queue; "tersimpan" shows only once it resolves. */
  onComplete(bundle: Uint8Array, submissionId: string): Promise<void>;
}

export function ScanHandoff({ onComplete }: ScanHandoffProps) {
  const t = useHandoffText();
  const video = useRef<HTMLVideoElement>(null);
  const [last, setLast] = useState<ScanResult>();
  const [cameraFailed, setCameraFailed] = useState(false);
  const [unreadable, setUnreadable] = useState(false);
  const [done, setDone] = useState<string>();
  const [notStored, setNotStored] = useState(false);
  const completed = useRef(onComplete);
  completed.current = onComplete;
  const collection = useRef<QrCollection>(EMPTY_COLLECTION);
  const finished = useRef(false);

  /** Judges one code, from the camera or a picture; true once the hand-off is complete. */
  const judge = useRef(async (text: string): Promise<boolean> => {
    if (finished.current) return true;
    const step = await addScan(collection.current, text);
    collection.current = step.collection;
    setLast(step.result);
    if (step.result.kind !== 'complete') return false;
    const id = readHandoffBundle(step.result.bundle)?.submissionId;
    if (!id) return false;
    finished.current = true;
    setNotStored(false);
    try {
      await completed.current(step.result.bundle, id);
    } catch {
      // Not stored (a full phone): say so, and let the codes be scanned again.
      finished.current = false;
      collection.current = EMPTY_COLLECTION;
      setLast(undefined);
      setNotStored(true);
      return false;
    }
    setDone(id);
    return true;
  });

  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let lastText = '';

    async function start() {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch {
        setCameraFailed(true);
        return;
      }
      if (stopped || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      const read = await createFrameReader();
      const tick = async () => {
        if (stopped || !video.current || finished.current) return;
        const text = await read(video.current).catch(() => undefined);
        // The same code stays in view for many frames: judge it once until another appears.
        if (text && text !== lastText) {
          lastText = text;
          if (await judge.current(text)) return;
        }
        timer = setTimeout(() => void tick(), SCAN_EVERY_MS);
      };
      void tick();
    }

    void start();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);

  async function readFiles(files: FileList | null) {
    setUnreadable(false);
    for (const file of Array.from(files ?? [])) {
      const text = await readImageFile(file).catch(() => undefined);
      if (!text) {
        setUnreadable(true);
        continue;
      }
      if (await judge.current(text)) return;
    }
  }

  return (
    <section aria-labelledby="scan-heading" data-testid="scan-handoff">
      <h2 id="scan-heading">{t('scanHeading')}</h2>
      {cameraFailed ? (
        <p className="notice" role="status">
          {t('scanCameraFailed')}
        </p>
      ) : (
        !done && <video ref={video} muted playsInline className="scanner" aria-label={t('scanHeading')} />
      )}
      <p role="status" data-testid="scan-status">
        {done
          ? t('scanDone', { receipt: formatReceipt(done) })
          : last?.kind === 'refused'
            ? t(REFUSAL_KEYS[last.reason])
            : last && last.kind !== 'complete'
              ? t('scanProgress', { received: last.received, total: last.total })
              : t('scanIntro')}
      </p>
      {notStored && (
        <p className="notice bad" role="alert" data-testid="scan-not-stored">
          {t('scanNotStored')}
        </p>
      )}
      {!done && (
        <div className="field">
          <label htmlFor="scan-image">{t('scanPickImage')}</label>
          <input id="scan-image" type="file" accept="image/*" multiple onChange={(e) => void readFiles(e.currentTarget.files)} />
          {unreadable && (
            <p className="error" role="alert">
              {t('scanImageUnreadable')}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
