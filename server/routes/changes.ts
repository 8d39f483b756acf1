// GET /api/v1/changes: status changes of this device's submissions after a cursor.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FollowRequestSchema, FollowResponseSchema, PullQuerySchema, PullResponseSchema } from '../../core/protocol-schemas.ts';
import { deviceCredentials, requireDeviceHeader, wrongDeviceSecret } from '../http/device-auth.ts';
import { parseHeld } from '../../core/forms/held-versions.ts';
import { HELD_VERSIONS_HEADER } from '../../core/protocol.ts';
import { recordHeldVersions } from '../repositories/device-versions.ts';
import { bodyErrors, deviceErrors } from './error-responses.ts';
import { limitPush } from '../auth/auth-plugin.ts';

export const DEFAULT_PULL_LIMIT = 500;

export const changesRoute: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * Keeps the form and SOP versions an officer's device says it holds (the KPI table "Versi
   * formulir"). Residents' devices send the header too but are not kept: no KPI names them, and a
   * row per resident phone and form would be most of the table. A malformed header is ignored.
   */
  async function recordHeld(officerDeviceId: string | undefined, header: string | string[] | undefined): Promise<void> {
    if (officerDeviceId === undefined || typeof header !== 'string') return;
    const held = parseHeld(header);
    if (held) await recordHeldVersions(app.db, officerDeviceId, held, new Date().toISOString());
  }

  app.get(
    '/changes',
    {
      onRequest: requireDeviceHeader,
      schema: {
        querystring: PullQuerySchema,
        response: { 200: PullResponseSchema, ...deviceErrors },
      },
      config: {
        openapi: {
          operationId: 'pullChanges',
          summary: 'Status changes of this device’s submissions since a cursor',
          description:
            'Pass the returned cursor back as `since`; `more` says another page is waiting. An `X-Jangkau-Held` header (`formId@version,…,sop:<sopId>@version`) reports the versions the device holds.',
          deviceAuth: true,
        },
      },
    },
    async (request) => {
      const creds = deviceCredentials(request);
      const sinceText = request.query.since ?? '0';
      const since = Number(sinceText);
      const check = await app.repos.verifyDevice(creds);
      if (check === 'mismatch') throw wrongDeviceSecret();
      await recordHeld(request.officer?.tokenId, request.headers[HELD_VERSIONS_HEADER]);
      const formsTag = await app.repos.formsTag();
      // A device that never pushed has nothing to follow yet.
      if (check === 'unknown') return { changes: [], cursor: sinceText, more: false, formsTag };
      const page = await app.repos.changesForDevice(creds.deviceId, since, request.query.limit ?? DEFAULT_PULL_LIMIT);
      return { changes: page.changes, cursor: page.cursor === since ? sinceText : String(page.cursor), more: page.more, formsTag };
    },
  );

  app.post(
    '/follow',
    {
      // Each item costs a hash and a lookup, like a pushed one: the same per-address limit. 500
      // items of the longest id and secret fit in 128 KiB.
      bodyLimit: 128 * 1024,
      onRequest: [limitPush, requireDeviceHeader],
      schema: {
        body: FollowRequestSchema,
        response: { 200: FollowResponseSchema, ...bodyErrors },
      },
      config: {
        openapi: {
          operationId: 'follow',
          summary: 'Follow requests filed earlier, by id and per-submission secret',
          description:
            'For a device that made itself a fresh identity: each item whose secret matches is linked to this device, and ' +
            'its current status is restated in the change log so the next pull brings it. `following` lists the ids now ' +
            'followed; a wrong secret or an unknown id is left out. With no items, only registers the device.',
          deviceAuth: true,
        },
      },
    },
    async (request) => {
      const result = await app.repos.follow(deviceCredentials(request), request.body.items);
      if (!result.ok) throw wrongDeviceSecret();
      return { following: result.following };
    },
  );
};
