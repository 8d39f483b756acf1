// GET /api/v1/forms: the published form versions and current SOP documents a device caches for
// offline use.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FormsResponseSchema, toServedForm } from '../http/form-schema.ts';
import { loadCurrentSops } from '../repositories/sops.ts';
import { clientErrors } from './error-responses.ts';

export const formsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/forms',
    {
      schema: { response: { 200: FormsResponseSchema, ...clientErrors } },
      config: { openapi: { operationId: 'listForms', summary: 'Published form versions, the retired ones, and the current SOP documents' } },
    },
    async () => {
      // Read fresh: retiring a version is rare and must reach devices without a restart.
      const [stored, sops] = await Promise.all([app.repos.forms.reload(), loadCurrentSops(app.db)]);
      return {
        forms: stored.filter((f) => f.retiredAt === null).map((f) => toServedForm(f.definition)),
        retired: stored
          .filter((f) => f.retiredAt !== null)
          .map((f) => ({ formId: f.definition.formId, version: f.definition.version })),
        sops,
      };
    },
  );
};
