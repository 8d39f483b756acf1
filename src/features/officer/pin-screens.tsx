// Setting the PIN after the first login, and unlocking with it after a restart or inactivity.
// Both run offline: the PIN never leaves the device.
import { Button } from '../../app/button.tsx';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { db, refreshLockedCodec, workDb } from '../../db/open-db.ts';
import { createPinLock, unlockWithPin } from '../../auth/device-key.ts';
import { codecForKey } from '../../auth/at-rest-codec.ts';
import { unlockWith } from '../../auth/lock-control.ts';
import { loadOfficerState, useOfficer } from '../../auth/officer-store.ts';
import { wipeOfficerData } from '../../auth/wipe.ts';
import { navigate } from '../../app/router.ts';
import { setPracticeMode } from './practice-switch.tsx';
import { checkNewPin, PIN_LENGTH } from '../../auth/pin-rules.ts';
import { InputField } from '../../app/input-field.tsx';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { sealExistingRows } from './seal-existing.ts';
import { SendRow } from '../../app/send-row.tsx';

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
        <SendRow label={o('pinSave')} busy={busy} busyText={o('pinSaving')} />
      </form>
    </>
  );
}

/** What the wait says: seconds under two minutes, then whole minutes, rounded up. */
function waitText(o: ReturnType<typeof useOfficerText>, ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 120 ? o('pinWaitFor', { n: seconds }) : o('pinWaitForMinutes', { n: Math.ceil(seconds / 60) });
}

/**
 * Counts down a wait after wrong PINs, on the page's own clock (as the wait itself runs: setting
 * the phone's clock forward skips nothing). Undefined once it is over.
 */
function useWaitLeft(): [number | undefined, (ms: number) => void] {
  const [until, setUntil] = useState<number>();
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (until === undefined) return;
    const timer = setInterval(() => {
      const t = performance.now();
      setNow(t);
      if (t >= until) setUntil(undefined);
    }, 1000);
    return () => clearInterval(timer);
  }, [until]);
  const start = (ms: number) => {
    const t = performance.now();
    setNow(t);
    setUntil(t + ms);
  };
  return [until === undefined ? undefined : Math.max(0, until - now), start];
}

export function UnlockScreen() {
  const o = useOfficerText();
  const account = useOfficer((s) => s.session?.account);
  const queued = useLiveQuery(() => workDb().outbox.count(), [], 0);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [waitLeft, startWait] = useWaitLeft();
  const [forgot, setForgot] = useState<'closed' | 'open' | 'confirm'>('closed');
  const input = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (waitLeft !== undefined) return input.current?.focus();
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
    // How long, not until when: "setelah 08.53 WIB" made people read the clock for a 30 s wait.
    if (result.waitMs > 0) startWait(result.waitMs);
    if (result.reason === 'wait') setError(undefined);
    else if (result.triesLeft <= 5) setError(o('pinTriesLeft', { n: result.triesLeft }));
    else setError(result.waitMs > 0 ? undefined : o('pinWrong'));
    input.current?.focus();
  }

  /** Without the PIN nothing sealed opens: the way out erases the officer's data, as 10 wrong PINs do. */
  async function logOutWithoutPin() {
    setBusy(true);
    await wipeOfficerData(db);
    await setPracticeMode(false);
    await loadOfficerState();
    window.alert(o('lockedLoggedOut'));
    navigate({ name: 'officer' }, { replace: true });
  }

  const shownError = waitLeft !== undefined ? [error, waitText(o, waitLeft)].filter(Boolean).join(' ') : error;

  return (
    <>
      <h1>{o('unlockHeading')}</h1>
      {account && (
        <p data-testid="locked-account">
          <strong>{o('lockedAccount', { name: account.displayName, username: account.username })}</strong>
        </p>
      )}
      <p>{o('unlockIntro')}</p>
      <form noValidate onSubmit={submit} aria-busy={busy} data-testid="pin-unlock">
        <PinInput id="pin-unlock" label={o('pin')} value={pin} busy={busy} autoComplete="current-password" inputRef={input} error={shownError} onChange={setPin} />
        <SendRow label={o('unlockButton')} busy={busy} busyText={o('unlocking')} disabled={waitLeft !== undefined} />
      </form>
      <div className="actions">
        <Button aria-expanded={forgot !== 'closed'} onClick={() => setForgot(forgot === 'closed' ? 'open' : 'closed')}>
          {o('forgotPin')}
        </Button>
        <Button onClick={() => setForgot('confirm')}>
          {o('lockedLogout')}
        </Button>
      </div>
      {forgot !== 'closed' && (
        <div className={forgot === 'confirm' ? 'notice bad' : 'notice'} data-testid="forgot-pin">
          <p>{o('forgotPinBody')}</p>
          <p>{o('forgotPinLoss')}</p>
          {queued > 0 && (
            <p>
              <strong>{o('forgotPinQueued', { n: queued })}</strong>
            </p>
          )}
          {forgot === 'confirm' && (
            <div className="actions">
              <Button onClick={() => void logOutWithoutPin()} disabled={busy}>
                {o('lockedLogoutConfirm')}
              </Button>
              <Button onClick={() => setForgot('closed')}>
                {o('cancel')}
              </Button>
            </div>
          )}
        </div>
      )}
    </>
  );
}
