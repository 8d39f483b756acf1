// The officer screens' labelled fields (src/app/input-field.tsx, select-field.tsx): the label names
// the control, the hint and the error sit beside it and describe it (aria-describedby), an error
// marks it invalid and, with `alert`, is announced. The markup is pinned as it is, whatever
// combination of hint and error, so the fields can share one frame without a screen reader noticing.
import fc from 'fast-check';
import { createElement as h, createRef, isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FieldFrame, InputField, TextAreaField } from '../../../src/app/input-field.tsx';
import { SelectField } from '../../../src/app/select-field.tsx';


/** The element of type `tag` that the field draws (its frame called as React would), or undefined. */
function controlOf(field: ReactElement, tag: string): ReactElement<{ ref?: unknown }> | undefined {
  const draw = field.type as (props: unknown) => ReactNode;
  const frame = draw(field.props) as ReactElement;
  const inner = (frame.type as typeof FieldFrame)(frame.props as Parameters<typeof FieldFrame>[0]);
  const find = (node: ReactNode): ReactElement<{ ref?: unknown }> | undefined => {
    if (!isValidElement<{ children?: ReactNode }>(node)) return Array.isArray(node) ? node.map(find).find(Boolean) : undefined;
    if (node.type === tag) return node as ReactElement<{ ref?: unknown }>;
    return find(node.props.children);
  };
  return find(inner);
}

describe('labelled fields', () => {
  it('a ref given to the field reaches its control (screens focus the first field in error)', () => {
    const input = createRef<HTMLInputElement>();
    const area = createRef<HTMLTextAreaElement>();
    const select = createRef<HTMLSelectElement>();
    expect(controlOf(h(InputField, { id: 'a', label: 'A', ref: input }), 'input')?.props.ref).toBe(input);
    expect(controlOf(h(TextAreaField, { id: 'b', label: 'B', ref: area }), 'textarea')?.props.ref).toBe(area);
    expect(controlOf(h(SelectField, { id: 'c', label: 'C', ref: select, children: null }), 'select')?.props.ref).toBe(select);
  });

  it('an input with its hint and an announced error', () => {
    expect(renderToStaticMarkup(h(InputField, { id: 'pin', label: 'PIN', help: '6 angka', error: 'PIN salah', alert: true, inputMode: 'numeric', value: '12', readOnly: true }))).toBe(
      '<div class="field"><label for="pin">PIN</label><p class="hint" id="pin-help">6 angka</p>' +
        '<input inputMode="numeric" readOnly="" type="text" id="pin" aria-invalid="true" aria-describedby="pin-help pin-error" value="12"/>' +
        '<p class="error" id="pin-error" role="alert">PIN salah</p></div>',
    );
  });

  it('an input alone: its own type, nothing to describe it by, not invalid', () => {
    expect(renderToStaticMarkup(h(InputField, { id: 'sandi', label: 'Kata sandi', type: 'password', autoComplete: 'current-password' }))).toBe(
      '<div class="field"><label for="sandi">Kata sandi</label><input autoComplete="current-password" type="password" id="sandi"/></div>',
    );
  });

  it('a text area with an error that is not announced', () => {
    expect(renderToStaticMarkup(h(TextAreaField, { id: 'jawaban', label: 'Jawaban', error: 'Wajib diisi', rows: 4, maxLength: 2000, defaultValue: 'x' }))).toBe(
      '<div class="field"><label for="jawaban">Jawaban</label>' +
        '<textarea rows="4" maxLength="2000" id="jawaban" aria-invalid="true" aria-describedby="jawaban-error">x</textarea>' +
        '<p class="error" id="jawaban-error">Wajib diisi</p></div>',
    );
  });

  it('a choice list with its hint', () => {
    expect(renderToStaticMarkup(h(SelectField, { id: 'status', label: 'Status', help: 'Pilih satu', value: 'a', onChange: () => {}, children: h('option', { value: 'a' }, 'A') }))).toBe(
      '<div class="field"><label for="status">Status</label><p class="hint" id="status-help">Pilih satu</p>' +
        '<select id="status" aria-describedby="status-help"><option value="a" selected="">A</option></select></div>',
    );
  });

  it('property: every control is named by its label and described by exactly the hint and error shown', () => {
    const text = fc.option(fc.stringMatching(/^[A-Za-z ]{1,12}$/), { nil: undefined });
    fc.assert(
      fc.property(fc.constantFrom(InputField, TextAreaField), text, text, fc.boolean(), (Field, help, error, alert) => {
        const out = renderToStaticMarkup(h(Field as typeof InputField, { id: 'f', label: 'L', help, error, alert }));
        const described = [help ? 'f-help' : undefined, error ? 'f-error' : undefined].filter(Boolean).join(' ');
        expect(out).toContain('<label for="f">L</label>');
        expect(out.includes(`aria-describedby="${described}"`)).toBe(described !== '');
        expect(out.includes('aria-describedby')).toBe(described !== '');
        expect(out.includes('aria-invalid="true"')).toBe(Boolean(error));
        expect(out.includes('role="alert"')).toBe(Boolean(error) && alert);
      }),
    );
  });
});
