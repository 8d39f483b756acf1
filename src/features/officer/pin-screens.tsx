// Setting the PIN after the first login, and unlocking with it after a restart or inactivity.
// Both run offline: the PIN never leaves the device.
import { useRef, useState, type FormEvent } from 'react';
import { db, refreshLockedCodec } from '../../db/open-db.ts';
import { createPinLock, unlockWithPin } from '../../auth/device-key.ts';
import { codecForKey } from '../../auth/at-rest-codec.ts';
import { unlockWith } from '../../auth/lock-control.ts';
import { loadOfficerState } from '../../auth/officer-store.ts';
import { checkNewPin, PIN_LENGTH } from '../../auth/pin-rules.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { InputField } from '../../app/input-field.tsx';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { sealExistingRows } from './seal-existing.ts';

function PinInput(props: { id: string; label: string; value: string; error?: string | undefined; busy: boolean; autoComplete: string; onChange(v: string): void; inputRef?: React.RefObject<HTMLInputElement | null> }) {
  return (
    <InputField
      ref={props.inputRef}
      id={props.id}
      label={props.label}
      error={props.error}
      type="password"
      inputMode="numeric"
      pattern="[0-9]*"
      maxLength={PIN_LENGTH}
      autoComplete={props.autoComplete}
      value={props.value}
      disabled={props.busy}
      onChange={(e) => props.onChange(e.target.value.replace(/\D/g, ''))}
    />
  );
}

export function PinSetupScreen() {
  const o = useOfficerText();
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<OfficerKey>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const second = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkNewPin(pin, again);
    setProblem(found);
    if (found) return (found === 'pin_mismatch' ? second : first).current?.focus();
    setBusy(true);
    const key = await createPinLock(db, pin);
    unlockWith(codecForKey(key));
    key.fill(0);
    await refreshLockedCodec();
    // What this device already holds (drafts, queue, receipts) is sealed now, not on its next write.
    await sealExistingRows(db);
    await loadOfficerState();
    setBusy(false);
  }

  return (
    <>
      <h1>{o('pinSetHeading')}</h1>
      <p>{o('pinSetIntro')}</p>
      <form noValidate onSubmit={submit} aria-busy={busy} data-testid="pin-setup">
        <PinInput id="pin-new" label={o('pin')} value={pin} busy={busy} autoComplete="new-password" inputRef={first} error={problem && problem !== 'pin_mismatch' ? o(problem) : undefined} onChange={setPin} />
        <PinInput id="pin-again" label={o('pinAgain')} value={again} busy={busy} autoComplete="new-password" inputRef={second} error={problem === 'pin_mismatch' ? o(problem) : undefined} onChange={setAgain} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {o('pinSave')}
          </button>
          <span role="status" className="meta">
            {busy && o('pinSaving')}
          </span>
        </div>
      </form>
    </>
  );
}

export function UnlockScreen() {
  const o = useOfficerText();
  const { dateTime } = useI18n();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!/^\d{6}$/.test(pin)) {
      setError(o('pin_format'));
      return input.current?.focus();
    }
    setBusy(true);
    const result = await unlockWithPin(db, pin);
    setBusy(false);
    setPin('');
    if (result.ok) {
      unlockWith(codecForKey(result.deviceKey));
      result.deviceKey.fill(0);
      // A lock from before Argon2id was just rewrapped: seal what was written in the clear since.
      if (result.migrated) {
        await refreshLockedCodec();
        await sealExistingRows(db);
      }
      return;
    }
    if (result.reason === 'no_pin') return void loadOfficerState();
    if (result.reason === 'wiped') {
      window.alert(o('pinWiped'));
      return void loadOfficerState();
    }
    // The time shown reads the phone's clock; the wait itself runs on the page's own clock.
    const until = Date.now() + result.waitMs;
    if (result.reason === 'wait') setError(o('pinWait', { time: dateTime(until) }));
    else if (result.triesLeft <= 5) setError(o('pinTriesLeft', { n: result.triesLeft }));
    else setError(result.waitMs > 0 ? o('pinWait', { time: dateTime(until) }) : o('pinWrong'));
    input.current?.focus();
  }

  return (
    <>
      <h1>{o('unlockHeading')}</h1>
      <p>{o('unlockIntro')}</p>
      <form noValidate onSubmit={submit} aria-busy={busy} data-testid="pin-unlock">
        <PinInput id="pin-unlock" label={o('pin')} value={pin} busy={busy} autoComplete="current-password" inputRef={input} error={error} onChange={setPin} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {o('unlockButton')}
          </button>
          <span role="status" className="meta">
            {busy && o('unlocking')}
          </span>
        </div>
      </form>
    </>
  );
}
