// GET /api/v1/audit: the province admin reads the audit log a page at a time (keyset on seq), each
// page with the verdict on its own rows and its link to the row before; `verify-audit` walks the
// whole chain (a full walk per call would grow with the log and let any reader load the server).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { officerWith } from '../auth/officer.ts';
import { AuditQuerySchema, AuditResponseSchema, officerErrors } from '../auth/schemas.ts';
import { readAuditPage } from '../repositories/audit-log.ts';

export const auditRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      schema: { querystring: AuditQuerySchema, response: { 200: AuditResponseSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'readAudit',
          summary: 'Audit log entries after a sequence number, and whether this page of the hash chain verifies',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      officerWith(request, 'audit.read');
      return readAuditPage(app.db, request.query.after ?? 0, request.query.limit ?? 100);
    },
  );
};
