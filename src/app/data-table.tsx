// The one table for wide figures (the KPI dashboard's and any other). On a 360 px phone a table of
// ten columns cannot fit, so it scrolls sideways inside its own region while the page stays put:
// the header row stays at the top and the row headers (the first column) stay at the left, so
// every figure still shows what it is. The region is focusable and named, so a keyboard can scroll
// it and a screen reader says what it holds. Printed, it is laid out in full.
import type { ReactNode } from 'react';

export function DataTable({ label, heads, children, testId }: { label: string; heads: readonly string[]; children: ReactNode; testId?: string }) {
  return (
    // A keyboard reaches the hidden columns only if the scrolling region takes the focus.
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0} data-testid={testId}>
      <table className="data-table">
        <thead>
          <tr>
            {heads.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
