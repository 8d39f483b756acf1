// GET /api/v1/audit: the province admin reads the audit log, with the verdict of a full walk of
// its hash chain.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { officerWith } from '../auth/officer.ts';
import { AuditQuerySchema, AuditResponseSchema, officerErrors } from '../auth/schemas.ts';
import { listAudit, verifyAuditChain } from '../repositories/audit-log.ts';

export const auditRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      schema: { querystring: AuditQuerySchema, response: { 200: AuditResponseSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'readAudit',
          summary: 'Audit log entries after a sequence number, and whether the hash chain verifies',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      officerWith(request, 'audit.read');
      const page = await listAudit(app.db, request.query.after ?? 0, request.query.limit ?? 100);
      const verify = await verifyAuditChain(app.db);
      return { ...page, verify };
    },
  );
};
