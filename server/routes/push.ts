// POST /api/v1/push: a batch of submissions from one device, answered item by item. Officers'
// submissions may come sealed to the server's key (core/sealed/sealed-submission.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_PUSH_BYTES } from '../../core/protocol.ts';
import { PushRequestSchema, PushResponseSchema } from '../../core/protocol-schemas.ts';
import { deviceCredentials, requireDeviceHeader, wrongDeviceSecret } from '../http/device-auth.ts';
import { decodeRequestBody } from '../http/request-encoding.ts';
import { completeRequest } from '../services/completion.ts';
import { processPush } from '../services/push.ts';
import { applyToVoterRecords, coklitStepForPush } from '../services/voter-ingest.ts';
import { limitPush } from '../auth/auth-plugin.ts';
import { bodyErrors } from './error-responses.ts';
import { openSealedSubmission } from '../../core/sealed/sealed-submission.ts';
import type { ServerKeyRing } from '../crypto/server-keys.ts';

export const pushRoute: FastifyPluginAsyncTypebox<{ ring: ServerKeyRing }> = async (app, { ring }) => {
  app.post(
    '/push',
    {
      bodyLimit: MAX_PUSH_BYTES,
      onRequest: [limitPush, requireDeviceHeader],
      preParsing: decodeRequestBody(MAX_PUSH_BYTES),
      schema: {
        body: PushRequestSchema,
        response: { 200: PushResponseSchema, ...bodyErrors },
      },
      config: {
        openapi: {
          operationId: 'push',
          summary: 'Send a batch of submissions',
          description:
            'Each item is answered on its own: accepted, duplicate (with the original receivedAt) or rejected ' +
            '(with a reason and field errors). The answer is sent only after the batch is committed. ' +
            'The body may be gzip-compressed (Content-Encoding: gzip). An item with `sealed` (an officer\'s ' +
            'submission sealed to a key of GET /keys) is opened first and judged as the envelope it holds; one ' +
            'that does not open, or holds another submission than its clear fields name, is rejected as invalid_envelope.',
          deviceAuth: true,
        },
      },
    },
    async (request) => {
      const creds = deviceCredentials(request);
      const answer = await processPush(
        {
          findForms: (keys) => app.repos.forms.findMany(keys),
          ingest: (items, receivedAt, voters) => app.repos.ingest(creds, items, receivedAt, voters),
          storedHashes: (ids) => app.repos.storedHashes(ids),
          now: () => new Date(),
          ...(request.officer ? { officer: request.officer } : {}),
          openSealed: (envelope) => openSealedSubmission(ring.all, envelope),
          subjectIndex: app.subjectIndex,
          // Decided before the push's transaction, written in it; a fault here only leaves the marks
          // for afterStore and the sweep (logged without personal data).
          planVoters: (items, receivedAt) =>
            coklitStepForPush(app.db, app.dataKeys, items, request.officer, receivedAt).catch((e: unknown) => {
              request.log.warn({ fault: e instanceof Error ? e.name : 'unknown' }, 'voter record updates not planned before a push');
              return undefined;
            }),
          // The push is durable already: a fault in the voter records must not turn its answer into a 5xx
          // (the phone would resend what is stored). Logged without personal data.
          afterStore: (accepted) =>
            applyToVoterRecords(app.db, app.dialect, app.dataKeys, accepted, request.officer, new Date().toISOString()).catch((e: unknown) => {
              request.log.error({ fault: e instanceof Error ? e.name : 'unknown' }, 'voter record update failed after a push');
            }),
          complete: async (envelope, receivedAt) => {
            const form = (await app.repos.forms.findMany([{ formId: envelope.formId, version: envelope.formVersion }])).values().next().value;
            return completeRequest({ db: app.db, dialect: app.dialect, keys: app.dataKeys, findForm: () => form, index: app.subjectIndex }, creds, envelope, receivedAt);
          },
        },
        request.body.items,
      );
      if (answer === 'device_auth') throw wrongDeviceSecret();
      return answer;
    },
  );
};
