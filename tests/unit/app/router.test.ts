// The hash router takes whatever a link, a QR code or a person typed after `#`: it never throws
// (a malformed escape such as `#/%` used to throw URIError before the shell was drawn, leaving a
// blank page), and every route the app links to comes back as itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from '../../../src/app/router.ts';

describe('parseRoute', () => {
  it('never throws, whatever follows the #', () => {
    expect(() => parseRoute('#/%')).not.toThrow();
    expect(parseRoute('#/ajukan/%E0%A4%A')).toEqual({ name: 'new', formId: '%E0%A4%A' });
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('/', '%', '?', '#', 'a', 'E', '0', 'F', 'ajukan', 'permohonan', 'petugas', ' ') }), (tail) => {
        expect(() => parseRoute(`#/${tail}`)).not.toThrow();
      }),
    );
  });

  it('reads back every route the app links to', () => {
    const id = fc.string({ minLength: 1 });
    const route: fc.Arbitrary<Route> = fc.oneof(
      fc.constant<Route>({ name: 'services' }),
      id.map<Route>((formId) => ({ name: 'new', formId })),
      id.map<Route>((draftId) => ({ name: 'draft', draftId })),
      id.map<Route>((i) => ({ name: 'request', id: i })),
      id.map<Route>((i) => ({ name: 'handoff', id: i })),
      id.map<Route>((i) => ({ name: 'inboxItem', id: i })),
    );
    fc.assert(
      fc.property(route, (r) => {
        expect(parseRoute(href(r))).toEqual(r);
      }),
    );
  });
});
