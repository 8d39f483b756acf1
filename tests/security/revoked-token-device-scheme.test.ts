// Finding 2 of #12: an officer's device token that no longer works as `Bearer` (logged out, revoked
// by an admin, account disabled, password changed elsewhere, idle past its limit) must not work as
// a resident's `Device <tokenId>.<token>` credential either. The attacker is the officer (or the
// thief of their phone) after the revocation: they know the token id and the token.
import { expect, it } from 'vitest';
import { deviceAuthorization } from '../../core/protocol.ts';
import { bearer, deadToken, officer, pushAs, REGION, TEST_AUTH, type DeadTokenState } from '../server/auth-fixtures.ts';
import { describeEachDialect, envelope } from '../server/helpers.ts';

const STATES: readonly DeadTokenState[] = ['revoked by an admin', 'logged out', 'account disabled', 'password changed elsewhere', 'idle past its limit'];

describeEachDialect(
  'a dead officer token used as a Device credential',
  (ctx) => {
    for (const state of STATES) {
      it(`(${state}) is refused for push, pull, upload and hand-off, and stores nothing`, async () => {
        const t = ctx();
        const victim = await deadToken(t, state);
        // As Bearer it is refused: the state is real.
        expect((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(victim.token) })).statusCode).toBe(401);

        const device = { authorization: deviceAuthorization(victim.deviceId, victim.token) };
        const item = envelope();
        const pushed = await pushAs(t.app, device, [item]);
        const pulled = await t.app.inject({ url: '/api/v1/changes?since=0', headers: device });
        const upload = await t.app.inject({ method: 'HEAD', url: `/api/v1/uploads/${'ab'.repeat(32)}`, headers: { ...device, 'tus-resumable': '1.0.0' } });
        const handoff = await t.app.inject({ method: 'POST', url: '/api/v1/handoff', headers: device, payload: { bundles: ['AAAA'] } });
        const forms = await t.app.inject({ url: '/api/v1/forms', headers: device });
        expect({
          push: pushed.statusCode,
          pull: pulled.statusCode,
          upload: upload.statusCode,
          handoff: handoff.statusCode,
          forms: forms.statusCode,
        }).toEqual({ push: 401, pull: 401, upload: 401, handoff: 401, forms: 401 });
        const stored = await t.db.selectFrom('submissions').select('id').where('id', '=', item.id).execute();
        expect(stored).toEqual([]);
      });
    }

    it('an active officer token is not a Device credential either: it goes as Bearer only', async () => {
      const t = ctx();
      const active = await officer(t, 'pantarlih', REGION.village);
      const device = { authorization: deviceAuthorization(active.deviceId, active.token) };
      expect((await pushAs(t.app, device, [envelope()])).statusCode).toBe(401);
      expect((await pushAs(t.app, bearer(active.token), [envelope()])).statusCode).toBe(200);
    });
  },
  { auth: TEST_AUTH },
);
