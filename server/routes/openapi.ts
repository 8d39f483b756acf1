// GET /api/v1/openapi.json: the document generated from the registered routes.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { buildOpenApiDocument, type DocumentedRoute } from '../http/openapi.ts';

export interface OpenApiRouteOptions {
  routes: readonly DocumentedRoute[];
  version: string;
}

export const openApiRoute: FastifyPluginAsyncTypebox<OpenApiRouteOptions> = async (app, { routes, version }) => {
  let document: Record<string, unknown> | undefined;
  app.get(
    '/openapi.json',
    {
      schema: { response: { 200: Type.Record(Type.String(), Type.Unknown()) } },
      config: { openapi: { operationId: 'openapi', summary: 'This document' } },
    },
    async () => {
      // Built on first use: by then every route, this one included, has been registered.
      document ??= buildOpenApiDocument(routes, version);
      return document;
    },
  );
};
