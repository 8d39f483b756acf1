// #/petugas/akun: account management for a province admin, and for a regency operator within the
// regency — create an account, disable one, reset its password, list its devices and revoke one (a
// lost phone). The same rules as the server (core/auth/account-rules.ts, core/auth/access.ts
// mayManage) say what is wrong beside the field before anything is sent; the server enforces them
// again, and its refusals land beside the same fields.
import { SelectField } from '../../app/select-field.tsx';
import { Button } from '../../app/button.tsx';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { href } from '../../app/router.ts';
import { InputField } from '../../app/input-field.tsx';
import {
  createAccount,
  disableAccount,
  listAccounts,
  listDevices,
  resetPassword,
  revokeDevice,
  type ManagedAccount,
  type ManagedDevice,
  type OfficerResult,
} from '../../auth/officer-api.ts';
import { onTokenRefused } from '../../auth/lock-control.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { normalizeUsername, passwordProblem, regionExists, USERNAME_RE, type AccountProblem } from '../../../core/auth/account-rules.ts';
import { scopeFitsRole } from '../../../core/auth/scope.ts';
import { mayManage } from '../../../core/auth/access.ts';
import { hasPermission, isRole, MANAGEABLE_ROLES, ROLE_LEVELS, type Role } from '../../../core/auth/roles.ts';
import type { FieldDef, FormDef } from '../../../core/forms/definition.ts';
import { REGIONS } from '../../../core/forms/full-context.ts';
import { PROVINCE_CODE } from '../../../core/regions.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { applyAnswer } from '../requests/fields/field-shell.tsx';
import { RegionField } from '../requests/fields/region-field.tsx';
import { useAccountsText, type AccountsKey } from './accounts-text.ts';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { regionName } from './region-name.ts';
import { SendRow } from '../../app/send-row.tsx';

type Field = 'displayName' | 'username' | 'password' | 'scope';
type Errors = Partial<Record<Field, AccountsKey>>;

const PROBLEM_FIELDS: Readonly<Record<AccountProblem | 'username_taken', [Field, AccountsKey]>> = {
  display_name_invalid: ['displayName', 'displayNameMissing'],
  username_invalid: ['username', 'usernameInvalid'],
  username_taken: ['username', 'usernameTaken'],
  password_short: ['password', 'passwordShort'],
  password_long: ['password', 'passwordLong'],
  scope_unknown: ['scope', 'scopeMissing'],
  scope_role_mismatch: ['scope', 'scopeWrong'],
};

/** The region level an account of `role` is scoped to here: the deepest its role allows. */
function levelFor(role: Role): 'province' | 'regency' | 'district' | 'village' {
  const levels = ROLE_LEVELS[role];
  return levels[levels.length - 1] ?? 'province';
}

/** A general problem of an answer that is not about a field. */
function generalProblem(result: OfficerResult<unknown>): { key: AccountsKey; n?: number } {
  if (result.kind === 'offline') return { key: 'offline' };
  if (result.kind === 'unauthorized') {
    void onTokenRefused();
    return { key: 'failed' };
  }
  if (result.kind === 'rate_limited') return { key: 'rateLimited', n: result.retryAfterSeconds };
  if (result.kind === 'refused' && result.status === 404) return { key: 'gone' };
  return { key: 'failed' };
}

/** The region picker of the forms (RegionField), for one code at the role's level within the manager's scope. */
function scopeField(label: string, level: 'regency' | 'district' | 'village', within: string): { form: FormDef; field: FieldDef } {
  const field: FieldDef = { name: 'wilayahTugas', type: 'region', label: { id: label, en: label }, level, within, required: true };
  const form: FormDef = { formId: 'akun', version: 1, audience: 'officer', title: field.label, summary: field.label, nextSteps: field.label, titleField: field.name, fields: [field] };
  return { form, field };
}

function CreateAccount({ actor, onCreated }: { actor: { role: Role; scope: string }; onCreated(account: ManagedAccount): void }) {
  const a = useAccountsText();
  const o = useOfficerText();
  const roles = MANAGEABLE_ROLES[actor.role];
  const empty = { displayName: '', username: '', password: '' };
  const [values, setValues] = useState<Record<Exclude<Field, 'scope'>, string>>(empty);
  const [role, setRole] = useState<Role>(roles.includes('pps') ? 'pps' : (roles[0] ?? 'pps'));
  const [scope, setScope] = useState<string>();
  const [errors, setErrors] = useState<Errors>({});
  const [outcome, setOutcome] = useState<{ text: string; bad: boolean }>();
  const [busy, setBusy] = useState(false);
  const refs = { displayName: useRef<HTMLInputElement>(null), username: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null) };
  const level = levelFor(role);
  // A role scoped to the province has one possible region; any other is picked under the manager's scope.
  const chosen = level === 'province' ? PROVINCE_CODE : scope;
  const picker = level === 'province' ? undefined : scopeField(a('scope'), level, actor.scope);

  function show(found: Errors): boolean {
    setErrors(found);
    const first = (['displayName', 'username', 'password', 'scope'] as Field[]).find((f) => found[f]);
    if (first === 'scope') document.getElementById('f-wilayahTugas')?.focus();
    else if (first) refs[first].current?.focus();
    return first !== undefined;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(undefined);
    const input = { ...values, role, scope: chosen ?? '' };
    // Every field's problem at once, by the server's rules (core/auth/account-rules.ts).
    const found: Errors = {};
    const name = values.displayName.trim();
    if (name.length < 1 || name.length > 100) found.displayName = 'displayNameMissing';
    if (!USERNAME_RE.test(normalizeUsername(values.username))) found.username = 'usernameInvalid';
    const pw = passwordProblem(values.password);
    if (pw) found.password = PROBLEM_FIELDS[pw][1];
    const deep = { province: 1, regency: 2, district: 3, village: 4 }[level];
    if (!chosen || chosen.split('.').length < deep || !regionExists(chosen)) found.scope = 'scopeMissing';
    else if (!scopeFitsRole(role, chosen) || !mayManage(actor, { role, scope: chosen })) found.scope = 'scopeWrong';
    if (show(found)) return;
    setBusy(true);
    const result = await createAccount(input);
    setBusy(false);
    if (result.kind === 'ok') {
      setValues(empty);
      setScope(undefined);
      setOutcome({ text: a('created', { username: result.body.username, name: result.body.displayName }), bad: false });
      onCreated(result.body);
      return;
    }
    const code = result.kind === 'refused' ? (result.code as AccountProblem | 'username_taken') : undefined;
    if (code && code in PROBLEM_FIELDS) {
      const [field, key] = PROBLEM_FIELDS[code];
      show({ [field]: key });
    } else if (result.kind === 'forbidden') setOutcome({ text: a('createForbidden'), bad: true });
    else {
      const p = generalProblem(result);
      setOutcome({ text: a(p.key, p.n !== undefined ? { n: p.n } : {}), bad: true });
    }
  }

  const text = (name: Exclude<Field, 'scope'>, type: string, autoComplete: string, help?: AccountsKey) => (
    <InputField
      ref={refs[name]}
      id={`account-${name}`}
      label={a(name)}
      help={help && a(help)}
      error={errors[name] && a(errors[name])}
      type={type}
      autoComplete={autoComplete}
      value={values[name]}
      disabled={busy}
      onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
    />
  );

  return (
    <section className="card" aria-labelledby="account-create-title" data-testid="account-create">
      <h2 id="account-create-title">{a('createHeading')}</h2>
      <form noValidate onSubmit={(e) => void submit(e)} aria-busy={busy}>
        {text('displayName', 'text', 'off')}
        {text('username', 'text', 'off', 'usernameHelp')}
        {text('password', 'text', 'new-password', 'passwordHelp')}
        <SelectField
          id="account-role"
          label={a('role')}
          value={role}
          disabled={busy}
          onChange={(e) => {
            setRole(e.target.value as Role);
            setErrors((x) => ({ ...x, scope: undefined }));
          }}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {o(`role_${r}` as OfficerKey)}
            </option>
          ))}
        </SelectField>
        {picker ? (
          <RegionField
            form={picker.form}
            field={picker.field}
            path="wilayahTugas"
            value={scope}
            required
            root={{}}
            issues={{ error: () => (errors.scope ? a(errors.scope) : undefined), warning: () => undefined }}
            regions={REGIONS}
            onChange={(change) => {
              const next = applyAnswer(change, scope);
              setScope(typeof next === 'string' ? next : undefined);
            }}
            onBlur={() => undefined}
          />
        ) : (
          <div className="field">
            <p>
              {a('scope')}: <strong>{a('scopeProvince')}</strong>
            </p>
            {errors.scope && <p className="error">{a(errors.scope)}</p>}
          </div>
        )}
        <SendRow label={a('createButton')} busy={busy} busyText={a('creating')} />
      </form>
      {outcome && (
        <p className={outcome.bad ? 'notice bad' : 'notice'} role={outcome.bad ? 'alert' : 'status'} data-testid="account-create-outcome">
          {outcome.text}
        </p>
      )}
    </section>
  );
}

type Confirming = { kind: 'disable' } | { kind: 'revoke'; device: ManagedDevice } | undefined;

function AccountCard({ account, actor, self, onChanged }: { account: ManagedAccount; actor: { role: Role; scope: string }; self: boolean; onChanged(): void }) {
  const a = useAccountsText();
  const o = useOfficerText();
  const { dateTime } = useI18n();
  const [devices, setDevices] = useState<ManagedDevice[]>();
  const [confirming, setConfirming] = useState<Confirming>();
  const [newPassword, setNewPassword] = useState('');
  const [passwordError, setPasswordError] = useState<AccountsKey>();
  const [outcome, setOutcome] = useState<{ text: string; bad: boolean }>();
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const manageable = !self && !account.disabled && mayManage(actor, account);

  function fail(result: OfficerResult<unknown>) {
    const p = generalProblem(result);
    setOutcome({ text: a(p.key, p.n !== undefined ? { n: p.n } : {}), bad: true });
  }

  async function loadDevices() {
    setBusy(true);
    const result = await listDevices(account.id);
    setBusy(false);
    if (result.kind === 'ok') setDevices(result.body.devices);
    else fail(result);
  }

  async function revoke(device: ManagedDevice) {
    setBusy(true);
    const result = await revokeDevice(device.id);
    setBusy(false);
    setConfirming(undefined);
    if (result.kind !== 'ok') return fail(result);
    setOutcome({ text: a('revoked', { label: device.label }), bad: false });
    await loadDevices();
  }

  async function disable() {
    setBusy(true);
    const result = await disableAccount(account.id);
    setBusy(false);
    setConfirming(undefined);
    if (result.kind !== 'ok') return fail(result);
    setOutcome({ text: a('disabledDone', { username: account.username }), bad: false });
    onChanged();
  }

  async function reset(event: FormEvent) {
    event.preventDefault();
    setOutcome(undefined);
    const problem = passwordProblem(newPassword);
    if (problem) {
      setPasswordError(problem === 'password_short' ? 'passwordShort' : 'passwordLong');
      return passwordRef.current?.focus();
    }
    setPasswordError(undefined);
    setBusy(true);
    const result = await resetPassword(account.id, newPassword);
    setBusy(false);
    if (result.kind === 'ok') {
      setNewPassword('');
      setOutcome({ text: a('resetDone', { n: result.body.revokedDevices }), bad: false });
      if (devices) await loadDevices();
    } else if (result.kind === 'refused' && (result.code === 'password_short' || result.code === 'password_long')) {
      setPasswordError(result.code === 'password_short' ? 'passwordShort' : 'passwordLong');
      passwordRef.current?.focus();
    } else fail(result);
  }

  return (
    <li data-testid="account" data-username={account.username}>
      <p>
        <span className="title">{account.displayName}</span>
        <span className="meta line">
          {account.username} · {isRole(account.role) ? o(`role_${account.role}` as OfficerKey) : account.role} · {regionName(account.scope)}
          {self ? ` · ${a('you')}` : ''}
        </span>
        <span className="badge" data-state={account.disabled ? 'needs_fix' : 'sent'}>
          {account.disabled ? a('disabled') : a('active')}
        </span>
      </p>
      {manageable && (
        <details className="card" data-testid="account-manage">
          <summary>{a('manage')}</summary>
          <h3>{a('devicesHeading')}</h3>
          {devices === undefined ? (
            <Button disabled={busy} onClick={() => void loadDevices()}>
              {a('devicesLoad')}
            </Button>
          ) : devices.length === 0 ? (
            <p>{a('devicesEmpty')}</p>
          ) : (
            <ul className="list" data-testid="devices">
              {devices.map((d) => (
                <li key={d.id} data-testid="device" data-revoked={d.revoked ? 'true' : undefined}>
                  <p>
                    <span className="title">{d.label}</span>
                    <span className="meta line">{a('deviceLine', { created: dateTime(d.createdAt), used: dateTime(d.lastUsedAt) })}</span>
                    {d.revoked ? (
                      <span className="badge" data-state="needs_fix">
                        {a('deviceRevoked')}
                      </span>
                    ) : (
                      <Button disabled={busy} onClick={() => setConfirming({ kind: 'revoke', device: d })}>
                        {a('revoke')}
                      </Button>
                    )}
                  </p>
                </li>
              ))}
            </ul>
          )}
          <form noValidate onSubmit={(e) => void reset(e)}>
            <h3>{a('resetHeading')}</h3>
            <InputField
              ref={passwordRef}
              id={`reset-${account.id}`}
              label={a('newPassword')}
              help={a('passwordHelp')}
              error={passwordError && a(passwordError)}
              type="text"
              autoComplete="new-password"
              value={newPassword}
              disabled={busy}
              onChange={(e) => setNewPassword(e.target.value)}
            />
            <Button variant="primary" type="submit" disabled={busy}>
              {a('resetButton')}
            </Button>
          </form>
          <div className="actions">
            <Button disabled={busy} onClick={() => setConfirming({ kind: 'disable' })}>
              {a('disableButton')}
            </Button>
          </div>
          {confirming && (
            <div className="notice bad" role="alert" data-testid="account-confirm">
              <p>{confirming.kind === 'disable' ? a('disableConfirm', { username: account.username }) : a('revokeConfirm', { label: confirming.device.label })}</p>
              <div className="actions">
                <Button disabled={busy} onClick={() => void (confirming.kind === 'disable' ? disable() : revoke(confirming.device))}>
                  {confirming.kind === 'disable' ? a('disableYes') : a('revokeYes')}
                </Button>
                <Button onClick={() => setConfirming(undefined)}>
                  {a('cancel')}
                </Button>
              </div>
            </div>
          )}
        </details>
      )}
      {outcome && (
        <p className={outcome.bad ? 'notice bad' : 'notice'} role={outcome.bad ? 'alert' : 'status'} data-testid="account-outcome">
          {outcome.text}
        </p>
      )}
    </li>
  );
}

export function AccountsScreen() {
  const a = useAccountsText();
  const o = useOfficerText();
  const { t } = useI18n();
  const account = useOfficer((s) => s.session?.account);
  const [accounts, setAccounts] = useState<ManagedAccount[]>();
  const [more, setMore] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const role = account && isRole(account.role) ? account.role : undefined;
  const allowed = role !== undefined && hasPermission(role, 'accounts.manage');

  const load = useCallback(
    async (offset: number) => {
      setBusy(true);
      const result = await listAccounts(offset);
      setBusy(false);
      if (result.kind !== 'ok') {
        const p = generalProblem(result);
        return setProblem(a(p.key, p.n !== undefined ? { n: p.n } : {}));
      }
      setProblem(undefined);
      setAccounts((prev) => (offset === 0 ? result.body.accounts : [...(prev ?? []), ...result.body.accounts]));
      setMore(result.body.more);
    },
    [a],
  );

  useEffect(() => {
    if (allowed) void load(0);
  }, [allowed, load]);

  if (!account || !role || !allowed) {
    return (
      <>
        <h1>{a('heading')}</h1>
        <p className="notice bad" role="alert">
          {account ? a('notAllowed') : o('loginFirst')}
        </p>
        <p>
          <a className="link-row" href={href({ name: 'officer' })}>{o('back')}</a>
        </p>
      </>
    );
  }
  const actor = { role, scope: account.scope };
  return (
    <>
      <h1>{a('heading')}</h1>
      <p>{a('intro')}</p>
      <CreateAccount actor={actor} onCreated={() => void load(0)} />
      <h2>{a('listHeading')}</h2>
      {problem && (
        <p className="notice bad" role="alert" data-testid="accounts-problem">
          {problem}
        </p>
      )}
      <p role="status" className="meta">
        {busy ? o('loggingIn') : ''}
      </p>
      {accounts && accounts.length === 0 && <p>{a('listEmpty')}</p>}
      {accounts && accounts.length > 0 && (
        <ul className="list" data-testid="accounts">
          {accounts.map((x) => (
            <AccountCard key={`${x.id}:${x.disabled}`} account={x} actor={actor} self={x.id === account.id} onChanged={() => void load(0)} />
          ))}
        </ul>
      )}
      {more && (
        <Button disabled={busy} onClick={() => void load(accounts?.length ?? 0)}>
          {t('loadMore')}
        </Button>
      )}
      <p>
        <a className="link-row" href={href({ name: 'officer' })}>{o('back')}</a>
      </p>
    </>
  );
}
