// GET /api/v1/health: answers only when the database answers, so load balancers and the test
// harness can wait on it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthResponseSchema } from '../../core/protocol-schemas.ts';
import { clientErrors } from './error-responses.ts';

export const healthRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      schema: { response: { 200: HealthResponseSchema, ...clientErrors } },
      config: { openapi: { operationId: 'health', summary: 'Liveness, including a database round trip' } },
    },
    async () => {
      await app.repos.ping();
      return { status: 'ok' as const, database: app.dialect, time: new Date().toISOString() };
    },
  );
};
