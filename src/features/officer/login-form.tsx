// Username, password and a device label: online once. The answer's device token is kept (never
// the password); the PIN is asked for next (pin-setup-screen.tsx) unless the device has one.
import { useRef, useState, type FormEvent } from 'react';
import { db } from '../../db/open-db.ts';
import { login } from '../../auth/officer-api.ts';
import { keepRevocationCheck, newRevocationCheck } from '../../sync/wipe-signal.ts';
import { saveSession } from '../../auth/session.ts';
import { loadOfficerState } from '../../auth/officer-store.ts';
import { useSync } from '../../app/sync-client.ts';
import { InputField } from '../../app/input-field.tsx';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { SendRow } from '../../app/send-row.tsx';

/** A label from the browser, e.g. "Android · Chrome", for the admin's device list. */
export function defaultDeviceLabel(userAgent: string = navigator.userAgent): string {
  const os = /Android/.test(userAgent) ? 'Android' : /iPhone|iPad/.test(userAgent) ? 'iOS' : /Windows/.test(userAgent) ? 'Windows' : /Linux/.test(userAgent) ? 'Linux' : /Mac/.test(userAgent) ? 'Mac' : 'Perangkat';
  const browser = /Firefox\//.test(userAgent) ? 'Firefox' : /Edg\//.test(userAgent) ? 'Edge' : /Chrom/.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : 'Browser';
  return `${os} · ${browser}`;
}

type Field = 'username' | 'password' | 'deviceLabel';

export function LoginForm({ defaultUsername = '' }: { defaultUsername?: string }) {
  const o = useOfficerText();
  const [values, setValues] = useState<Record<Field, string>>({ username: defaultUsername, password: '', deviceLabel: defaultDeviceLabel() });
  const [errors, setErrors] = useState<Partial<Record<Field, OfficerKey>>>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const refs = { username: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null), deviceLabel: useRef<HTMLInputElement>(null) };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Partial<Record<Field, OfficerKey>> = {};
    if (!values.username.trim()) found.username = 'usernameMissing';
    if (!values.password) found.password = 'passwordMissing';
    if (!values.deviceLabel.trim()) found.deviceLabel = 'deviceLabelMissing';
    setErrors(found);
    setFailure(undefined);
    const first = (Object.keys(found) as Field[])[0];
    if (first) return refs[first].current?.focus();
    setBusy(true);
    const check = newRevocationCheck();
    const result = await login(values.username.trim(), values.password, values.deviceLabel.trim(), check);
    setBusy(false);
    if (result.kind === 'ok') {
      const { token, deviceId, account } = result.body;
      await saveSession(db, {
        token,
        deviceId,
        account: { id: account.id, username: account.username, role: account.role, scope: account.scope, displayName: account.displayName },
        loggedInAt: Date.now(),
      });
      // In the clear: the locked phone sends it to hear an admin's revocation (src/sync/wipe-signal.ts).
      await keepRevocationCheck(db, deviceId, check);
      setValues((v) => ({ ...v, password: '' }));
      await loadOfficerState();
      // The server's key, kept for the days offline: the officer's finalised entries are sealed to it.
      void import('../../db/channel-settings.ts').then((m) => m.refreshChannelSettings((input, init) => fetch(input, init), localStorage));
      // Whatever waited for a login (a refused token's queue) goes now.
      useSync.getState().syncNow();
      return;
    }
    if (result.kind === 'unauthorized') {
      setErrors({ password: 'loginFailed' });
      refs.password.current?.focus();
    } else if (result.kind === 'offline') setFailure(o('loginOffline'));
    else if (result.kind === 'rate_limited') setFailure(o('loginRateLimited', { n: result.retryAfterSeconds }));
    else setFailure(o('loginRefused'));
  }

  const field = (name: Field, type: string, autoComplete: string, help?: OfficerKey) => {
    const error = errors[name];
    return (
      <InputField
        ref={refs[name]}
        id={`officer-${name}`}
        label={o(name)}
        help={help && o(help)}
        error={error && o(error)}
        type={type}
        autoComplete={autoComplete}
        value={values[name]}
        disabled={busy}
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
      />
    );
  };

  return (
    <form noValidate onSubmit={submit} aria-busy={busy} data-testid="officer-login">
      {field('username', 'text', 'username')}
      {field('password', 'password', 'current-password')}
      {field('deviceLabel', 'text', 'off', 'deviceLabelHelp')}
      {failure && (
        <p className="notice bad" role="alert">
          {failure}
        </p>
      )}
      <SendRow label={o('loginButton')} busy={busy} busyText={o('loggingIn')} />
    </form>
  );
}
