// "Ganti kata sandi" on the officer screen: online, with the current password; the server logs out
// the account's other devices (said before and after), this device keeps its token.
import { Button } from '../../app/button.tsx';
import { useRef, useState, type FormEvent } from 'react';
import { changePassword } from '../../auth/officer-api.ts';
import { onTokenRefused } from '../../auth/lock-control.ts';
import { InputField } from '../../app/input-field.tsx';
import { useAssignmentText, type AssignmentKey } from './assignment-text.ts';

type Field = 'currentPassword' | 'newPassword' | 'newPasswordAgain';

/** The same rule as the server's (server/auth/password.ts): 10 to 200 characters. */
function newPasswordProblem(password: string, current: string, again: string): Partial<Record<Field, AssignmentKey>> {
  if ([...password].length < 10) return { newPassword: 'newShort' };
  if (password.length > 200) return { newPassword: 'newLong' };
  if (password === current) return { newPassword: 'newSame' };
  if (password !== again) return { newPasswordAgain: 'newMismatch' };
  return {};
}

const SERVER_PROBLEMS: Readonly<Record<string, { field: Field; key: AssignmentKey }>> = {
  current_password_wrong: { field: 'currentPassword', key: 'currentWrong' },
  password_short: { field: 'newPassword', key: 'newShort' },
  password_long: { field: 'newPassword', key: 'newLong' },
  password_unchanged: { field: 'newPassword', key: 'newSame' },
};

export function PasswordChange() {
  const a = useAssignmentText();
  const empty = { currentPassword: '', newPassword: '', newPasswordAgain: '' };
  const [values, setValues] = useState<Record<Field, string>>(empty);
  const [errors, setErrors] = useState<Partial<Record<Field, AssignmentKey>>>({});
  const [result, setResult] = useState<{ text: string; bad: boolean }>();
  const [busy, setBusy] = useState(false);
  const refs = { currentPassword: useRef<HTMLInputElement>(null), newPassword: useRef<HTMLInputElement>(null), newPasswordAgain: useRef<HTMLInputElement>(null) };

  function show(found: Partial<Record<Field, AssignmentKey>>): boolean {
    setErrors(found);
    const first = (Object.keys(found) as Field[])[0];
    if (first) refs[first].current?.focus();
    return first !== undefined;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setResult(undefined);
    const local = values.currentPassword ? newPasswordProblem(values.newPassword, values.currentPassword, values.newPasswordAgain) : { currentPassword: 'currentMissing' as const };
    if (show(local)) return;
    setBusy(true);
    const answer = await changePassword(values.currentPassword, values.newPassword);
    setBusy(false);
    if (answer.kind === 'ok') {
      setValues(empty);
      setResult({ text: a('passwordSaved', { n: answer.body.revokedDevices }), bad: false });
    } else if (answer.kind === 'refused' && SERVER_PROBLEMS[answer.code]) {
      const problem = SERVER_PROBLEMS[answer.code]!;
      show({ [problem.field]: problem.key });
    } else if (answer.kind === 'unauthorized') {
      await onTokenRefused();
    } else if (answer.kind === 'rate_limited') setResult({ text: a('passwordRateLimited', { n: answer.retryAfterSeconds }), bad: true });
    else setResult({ text: a(answer.kind === 'offline' ? 'passwordOffline' : 'failed'), bad: true });
  }

  const field = (name: Field, autoComplete: string, help?: AssignmentKey) => (
    <InputField
      ref={refs[name]}
      id={`password-${name}`}
      label={a(name)}
      help={help && a(help)}
      error={errors[name] && a(errors[name])}
      type="password"
      autoComplete={autoComplete}
      value={values[name]}
      disabled={busy}
      onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
    />
  );

  return (
    <details className="card" data-testid="password-change">
      <summary>{a('passwordHeading')}</summary>
      <p>{a('passwordIntro')}</p>
      <form noValidate onSubmit={(e) => void submit(e)}>
        {field('currentPassword', 'current-password')}
        {field('newPassword', 'new-password', 'newPasswordHelp')}
        {field('newPasswordAgain', 'new-password')}
        <Button variant="primary" type="submit" disabled={busy}>
          {busy ? a('passwordSaving') : a('passwordSave')}
        </Button>
      </form>
      {result && (
        <p className={result.bad ? 'notice bad' : 'notice'} role={result.bad ? 'alert' : 'status'} data-testid="password-result">
          {result.text}
        </p>
      )}
    </details>
  );
}
