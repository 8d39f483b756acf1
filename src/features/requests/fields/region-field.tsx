// Region and island fields as cascading selects: regency → district → village under the field's
// fixed parent. The lists come from the lazily loaded catalogue; until it is there the field says
// so instead of offering an empty list.
import type { MessageKey } from '../../../i18n/id.ts';
import { PROVINCE_CODE } from '../../../../core/regions.ts';
import type { NamedRegion, RegionDirectory } from '../../../../core/forms/context.ts';
import { useI18n } from '../../../i18n/use-i18n.ts';
import { FieldShell, type FieldProps } from './field-shell.tsx';

const STEPS = [
  { level: 'regency', key: 'regionRegency', dots: 1 },
  { level: 'district', key: 'regionDistrict', dots: 2 },
  { level: 'village', key: 'regionVillage', dots: 3 },
] as const satisfies readonly { level: string; key: MessageKey; dots: number }[];

/** The first `dots + 1` dotted parts of a code: ancestorAt('19.01.02.2001', 1) = '19.01'. */
function ancestorAt(code: string, dots: number): string {
  return code.split('.').slice(0, dots + 1).join('.');
}

function RegionSelect({
  id,
  label,
  options,
  value,
  disabledHint,
  describedBy,
  invalid,
  onChange,
  onBlur,
}: {
  id: string;
  label: string;
  options: readonly NamedRegion[];
  value: string;
  disabledHint?: string;
  describedBy: string | undefined;
  invalid: true | undefined;
  onChange(code: string): void;
  onBlur(): void;
}) {
  const { t } = useI18n();
  return (
    <div className="region-step">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={options.length === 0}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      >
        <option value="">{disabledHint ?? t('choose')}</option>
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function Loading() {
  const { t } = useI18n();
  return (
    <p className="hint" role="status">
      {t('regionLoading')}
    </p>
  );
}

export function RegionField(props: FieldProps) {
  const { field, path, value, regions, onChange, onBlur } = props;
  const { t } = useI18n();
  const code = typeof value === 'string' ? value : '';
  const within = field.within ?? PROVINCE_CODE;
  const startDots = within.split('.').length; // '19' → start at regencies (1 dot)
  const lastDots = STEPS.find((s) => s.level === (field.level ?? 'village'))?.dots ?? 3;
  const steps = STEPS.filter((s) => s.dots >= startDots && s.dots <= lastDots);
  return (
    <FieldShell {...props} group>
      {(d) =>
        !regions ? (
          <Loading />
        ) : (
          steps.map((step, i) => {
            const parent = i === 0 ? within : code ? ancestorAt(code, step.dots - 1) : '';
            const chosenParent = i === 0 || code.split('.').length > step.dots - 1;
            const options = chosenParent && parent ? (regions as RegionDirectory).childrenOf(parent) : [];
            const selected = code.split('.').length > step.dots ? ancestorAt(code, step.dots) : '';
            const prev = steps[i - 1];
            return (
              <RegionSelect
                key={step.level}
                id={`${d.id}-${step.level}`}
                label={t(step.key)}
                options={options}
                value={selected}
                disabledHint={options.length === 0 && prev ? t('regionPickFirst', { what: t(prev.key).toLowerCase() }) : undefined}
                describedBy={d.describedBy}
                invalid={d.invalid}
                onBlur={() => onBlur(path)}
                // Choosing a level clears the levels below it: the answer is the deepest code.
                onChange={(next) => onChange(next === '' ? (i === 0 ? undefined : ancestorAt(code, step.dots - 1)) : next)}
              />
            );
          })
        )
      }
    </FieldShell>
  );
}

export function IslandField(props: FieldProps) {
  const { field, path, value, regions, onChange, onBlur } = props;
  const { t } = useI18n();
  const code = typeof value === 'string' ? value : '';
  const within = field.within ?? PROVINCE_CODE;
  return (
    <FieldShell {...props} group={false}>
      {(d) => {
        if (!regions) return <Loading />;
        // A province-wide field lists the main islands and those of every regency.
        const groups = within.includes('.') ? [within] : [within, ...regions.childrenOf(within).map((r) => r.code)];
        const options = groups.flatMap((g) => regions.islandsOf(g));
        return (
          <select
            id={d.id}
            value={code}
            aria-invalid={d.invalid}
            aria-describedby={d.describedBy}
            onChange={(e) => onChange(e.target.value || undefined)}
            onBlur={() => onBlur(path)}
          >
            <option value="">{t('choose')}</option>
            {options.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        );
      }}
    </FieldShell>
  );
}
