// The first-run tips of a form, step by step, above its fields: shown by themselves the first time
// this device opens the form (per form id), dismissable, and opened again with "Petunjuk". Not a
// modal: the person may start filling in while reading.
import { Button } from '../../app/button.tsx';
import { useEffect, useRef, useState } from 'react';
import type { FormDef } from '../../../core/forms/definition.ts';
import { formTips } from '../../../core/forms/form-tips.ts';
import { db } from '../../db/open-db.ts';
import { rememberTipsSeen, tipsSeen } from '../../db/tips-seen.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { useTipsText } from './tips-text.ts';

export function FormTips({ form }: { form: FormDef }) {
  const { local } = useI18n();
  const tt = useTipsText();
  const tips = formTips(form);
  const [step, setStep] = useState<number | undefined>(undefined);
  /** Whether the device's seen list was read (tests wait for it before saying "no tips"). */
  const [checked, setChecked] = useState(false);
  const open = useRef(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    void tipsSeen(db, form.formId).then((seen) => {
      if (!live) return;
      setChecked(true);
      if (!seen) {
        open.current = true;
        setStep(0);
      }
    });
    return () => {
      live = false;
      // Left with the tips still open (the form filled and sent): they were seen all the same.
      if (open.current) void rememberTipsSeen(db, form.formId);
    };
  }, [form.formId]);

  function close() {
    open.current = false;
    setStep(undefined);
    void rememberTipsSeen(db, form.formId);
  }

  function reopen() {
    open.current = true;
    setStep(0);
    requestAnimationFrame(() => headingRef.current?.focus());
  }

  const tip = step === undefined ? undefined : tips[step];
  if (step === undefined || !tip) {
    return (
      <div className="actions">
        <Button onClick={reopen} data-testid="tips-open" data-checked={checked}>
          {tt('tipsOpen')}
        </Button>
      </div>
    );
  }
  const last = step === tips.length - 1;
  return (
    <section className="tips card" aria-labelledby="tips-title" data-testid="form-tips" data-step={tip.kind}>
      <h2 id="tips-title" tabIndex={-1} ref={headingRef}>
        {tt('tipsHeading', { step: step + 1, steps: tips.length })}
      </h2>
      <h3>{local(tip.heading)}</h3>
      <p>{local(tip.text)}</p>
      {tip.items && (
        <ul>
          {tip.items.map((item) => (
            <li key={item.id}>{local(item)}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        {step > 0 && (
          <Button onClick={() => setStep(step - 1)}>
            {tt('tipsPrevious')}
          </Button>
        )}
        {last ? (
          <Button variant="primary" onClick={close}>
            {tt('tipsDone')}
          </Button>
        ) : (
          <Button variant="primary" onClick={() => setStep(step + 1)}>
            {tt('tipsNext')}
          </Button>
        )}
        <Button onClick={close}>
          {tt('tipsClose')}
        </Button>
      </div>
    </section>
  );
}
