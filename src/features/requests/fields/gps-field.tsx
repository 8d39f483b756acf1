// A GPS point: "Ambil lokasi" asks the phone (navigator.geolocation), and the officer can always
// type the coordinates instead, since indoors or with location switched off the phone may never
// answer. The answer is {lat, lng, accuracy?} in decimal degrees.
import { Button } from '../../../app/button.tsx';
import { useState } from 'react';
import type { GeoPoint } from '../../../../core/forms/definition.ts';
import { isRecord } from '../../../../core/forms/validate.ts';
import { useI18n } from '../../../i18n/use-i18n.ts';
import { FieldShell, type FieldProps } from './field-shell.tsx';

type Status = 'idle' | 'locating' | 'denied' | 'unavailable' | 'unsupported';

const LOCATE_TIMEOUT_MS = 30_000;

function parseCoordinate(text: string): number | undefined {
  const s = text.trim().replace(',', '.').replace('−', '-');
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
}

export function GpsField(props: FieldProps) {
  const { path, value, onChange, onBlur } = props;
  const { t } = useI18n();
  const point = isRecord(value) ? (value as unknown as Partial<GeoPoint>) : undefined;
  const [status, setStatus] = useState<Status>('idle');
  const [lat, setLat] = useState(point?.lat !== undefined ? String(point.lat) : '');
  const [lng, setLng] = useState(point?.lng !== undefined ? String(point.lng) : '');

  function typed(nextLat: string, nextLng: string) {
    setLat(nextLat);
    setLng(nextLng);
    const a = parseCoordinate(nextLat);
    const b = parseCoordinate(nextLng);
    // Half-typed coordinates are no answer yet; the field asks for both.
    onChange(a !== undefined && b !== undefined ? { lat: a, lng: b } : undefined);
  }

  function locate() {
    if (!('geolocation' in navigator)) {
      setStatus('unsupported');
      return;
    }
    setStatus('locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const next: GeoPoint = {
          lat: Math.round(pos.coords.latitude * 1e6) / 1e6,
          lng: Math.round(pos.coords.longitude * 1e6) / 1e6,
          accuracy: Math.round(pos.coords.accuracy),
        };
        setLat(String(next.lat));
        setLng(String(next.lng));
        setStatus('idle');
        onChange(next);
        onBlur(path);
      },
      (err) => setStatus(err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, timeout: LOCATE_TIMEOUT_MS, maximumAge: 60_000 },
    );
  }

  const message =
    status === 'locating'
      ? t('gpsTaking')
      : status === 'denied'
        ? t('gpsDenied')
        : status === 'unavailable'
          ? t('gpsUnavailable')
          : status === 'unsupported'
            ? t('gpsUnsupported')
            : point?.lat !== undefined && point.lng !== undefined
              ? t('gpsRecorded', { lat: point.lat, lng: point.lng, acc: point.accuracy ?? '–' })
              : '';
  return (
    <FieldShell {...props} group>
      {(d) => (
        <>
          <Button id={`${d.id}-locate`} aria-describedby={d.describedBy} onClick={locate} disabled={status === 'locating'}>
            {t('gpsTake')}
          </Button>
          <p className={status === 'denied' || status === 'unavailable' ? 'error' : 'hint'} role="status">
            {message}
          </p>
          <details open={status === 'denied' || status === 'unavailable' || status === 'unsupported' || undefined}>
            <summary>{t('gpsManual')}</summary>
            <label htmlFor={`${d.id}-lat`}>{t('gpsLat')}</label>
            <input
              id={`${d.id}-lat`}
              type="text"
              inputMode="decimal"
              value={lat}
              aria-invalid={d.invalid}
              onChange={(e) => typed(e.target.value, lng)}
              onBlur={() => onBlur(path)}
            />
            <label htmlFor={`${d.id}-lng`}>{t('gpsLng')}</label>
            <input
              id={`${d.id}-lng`}
              type="text"
              inputMode="decimal"
              value={lng}
              aria-invalid={d.invalid}
              onChange={(e) => typed(lat, e.target.value)}
              onBlur={() => onBlur(path)}
            />
          </details>
        </>
      )}
    </FieldShell>
  );
}
