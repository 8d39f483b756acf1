// POST /api/v1/admin/sops: the province admin publishes a version of an SOP document. Devices get
// the current version of each SOP with the forms (GET /api/v1/forms) on their next sync.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';
import { officerWith } from '../auth/officer.ts';
import { officerErrors } from '../auth/schemas.ts';
import { ApiError } from '../http/api-error.ts';
import { SopDocSchema } from '../http/form-schema.ts';
import { recordAudit } from '../repositories/audit-log.ts';
import { publishSop } from '../repositories/sops.ts';

const PublishedSchema = Type.Object({ sopId: Type.String(), version: Type.Integer(), published: Type.Boolean() });

const CONFLICT_MESSAGES = {
  version_exists: 'This version was published with another text; publish a new version',
  version_behind: 'A newer version of this SOP is published already',
} as const;

export const sopsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/admin/sops',
    {
      // The text may be 50,000 characters of UTF-8 (up to 3 bytes each), and the titles and notes.
      bodyLimit: 256 * 1024,
      schema: {
        body: SopDocSchema,
        response: { 200: PublishedSchema, 201: PublishedSchema, ...officerErrors, 409: ErrorResponseSchema },
      },
      config: {
        openapi: {
          operationId: 'publishSop',
          summary: 'Publish a version of an SOP document (province admin)',
          description:
            'Title and change notes in Indonesian and English, the effective date, and the text in Indonesian. 201 when published, 200 when the same text was published before, 409 for another text under a published number or a number below the newest.',
          officerAuth: true,
        },
      },
    },
    async (request, reply) => {
      const officer = officerWith(request, 'documents.publish');
      const now = new Date().toISOString();
      const result = await publishSop(app.db, request.body, officer.accountId, now);
      if (!result.ok) {
        if (result.error === 'invalid_sop') throw new ApiError(400, 'invalid_sop', result.problems.join('; '));
        throw new ApiError(409, result.error, CONFLICT_MESSAGES[result.error]);
      }
      const { sopId, version } = request.body;
      if (result.published) {
        await recordAudit(app.db, app.dialect, {
          actorId: officer.accountId,
          actorRole: officer.role,
          action: 'sop.publish',
          subject: `sop:${sopId}@${version}`,
          regionCode: officer.scope,
          at: now,
        });
      }
      return reply.code(result.published ? 201 : 200).send({ sopId, version, published: result.published });
    },
  );
};
