// The send row of the officer screens' forms: the primary submit button and, beside it, a status
// line that says what is under way while the form is busy (screen readers announce it).
import { Button } from './button.tsx';
import type { ReactNode } from 'react';

export function SendRow({ label, busy, busyText, disabled = false }: { label: ReactNode; busy: boolean; busyText: ReactNode; disabled?: boolean }) {
  return (
    <div className="actions">
      <Button variant="primary" type="submit" disabled={busy || disabled}>
        {label}
      </Button>
      <span role="status" className="meta">
        {busy && busyText}
      </span>
    </div>
  );
}
