// The OpenAPI 3.1 document, generated from the routes as they are registered: the same TypeBox
// objects that validate requests and serialize answers describe them, so the document cannot
// drift from the code. OpenAPI 3.1 speaks JSON Schema 2020-12, which TypeBox emits as is.
import type { FastifySchema, RouteOptions } from 'fastify';
import { PROTOCOL_VERSION, REVOCATION_CHECK_HEADER, WIPE_HEADER, WIPE_OFFICER } from '../../core/protocol.ts';

/** Per-route documentation, set as `config.openapi` on the route. */
export interface RouteDoc {
  operationId: string;
  summary: string;
  description?: string;
  /** The route requires `Authorization: Device <id>.<secret>`. */
  deviceAuth?: boolean;
  /** The route requires an officer's `Authorization: Bearer <device token>`. */
  officerAuth?: boolean;
  /** The body's media type when it is not JSON (e.g. `text/csv`). */
  bodyType?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    openapi?: RouteDoc;
  }
}

export interface DocumentedRoute {
  method: string;
  url: string;
  schema: FastifySchema;
  doc: RouteDoc;
}

type JsonObject = Record<string, unknown>;

const STATUS_TEXT: Readonly<Record<string, string>> = {
  '200': 'OK',
  '400': 'Malformed or invalid request',
  '401': 'Missing or wrong device credentials',
  '403': 'Not allowed for this account’s role or region',
  '404': 'Not found',
  '409': 'Conflicts with the current state',
  '413': 'Body too large (after decompression)',
  '415': 'Unsupported media type or content encoding',
  '422': 'Understood, but its content is invalid (see the problems listed)',
  '429': 'Too many requests; see Retry-After',
  '500': 'Server fault; retry later',
};

/** An onRoute hook body: keeps the routes that carry documentation. */
export function collectRoute(into: DocumentedRoute[], route: RouteOptions): void {
  const doc = route.config?.openapi;
  if (!doc) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  for (const method of methods) {
    if (method === 'HEAD') continue;
    into.push({ method: method.toLowerCase(), url: route.url, schema: route.schema ?? {}, doc });
  }
}

function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null ? (value as JsonObject) : undefined;
}

/** Copies a schema into plain JSON, dropping anything JSON cannot carry. */
function plain(schema: unknown): JsonObject {
  return JSON.parse(JSON.stringify(schema ?? {})) as JsonObject;
}

function queryParameters(querystring: unknown): JsonObject[] {
  const schema = asObject(querystring);
  const properties = asObject(schema?.properties) ?? {};
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: plain(property),
  }));
}

/**
 * The locked phone's wipe signal (server/auth/wipe-signal.ts), on the routes a phone syncs with
 * under its own credential: the check it may send, and the header the answer then may carry.
 */
const REVOCATION_CHECK_PARAMETER: JsonObject = {
  name: REVOCATION_CHECK_HEADER,
  in: 'header',
  required: false,
  description:
    '<tokenId>.<check>: the random check the phone gave at login (POST /auth/login `revocationCheck`). Once an admin revoked ' +
    `that token or disabled its account, the answer carries \`${WIPE_HEADER}: ${WIPE_OFFICER}\`, whatever the request's credential.`,
  schema: { type: 'string' },
};
const WIPE_RESPONSE_HEADER: JsonObject = {
  [WIPE_HEADER]: {
    description: `\`${WIPE_OFFICER}\`: erase the officer’s data on this phone (only to the holder of the revocation check sent).`,
    schema: { type: 'string', enum: [WIPE_OFFICER] },
  },
};

function operation(route: DocumentedRoute): JsonObject {
  const op: JsonObject = { operationId: route.doc.operationId, summary: route.doc.summary };
  if (route.doc.description) op.description = route.doc.description;
  const parameters = [...queryParameters(route.schema.querystring), ...(route.doc.deviceAuth ? [REVOCATION_CHECK_PARAMETER] : [])];
  if (parameters.length > 0) op.parameters = parameters;
  if (route.schema.body) {
    op.requestBody = {
      required: true,
      content: { [route.doc.bodyType ?? 'application/json']: { schema: plain(route.schema.body) } },
    };
  }
  const responses: JsonObject = {};
  for (const [status, schema] of Object.entries(asObject(route.schema.response) ?? {})) {
    responses[status] = {
      description: STATUS_TEXT[status] ?? 'Response',
      ...(route.doc.deviceAuth ? { headers: WIPE_RESPONSE_HEADER } : {}),
      content: { 'application/json': { schema: plain(schema) } },
    };
  }
  op.responses = responses;
  if (route.doc.deviceAuth) op.security = [{ device: [] }, { officer: [] }];
  if (route.doc.officerAuth) op.security = [{ officer: [] }];
  return op;
}

/** Fastify's `/:id` path syntax becomes OpenAPI's `/{id}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function buildOpenApiDocument(routes: readonly DocumentedRoute[], version: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const path = openApiPath(route.url);
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jangkau provincial API',
      version,
      description: `Sync protocol v${PROTOCOL_VERSION} between Jangkau devices and KPU Provinsi Kepulauan Bangka Belitung.`,
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      securitySchemes: {
        device: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'Device <deviceId>.<deviceSecret>; the first push registers the device.',
        },
        officer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An officer device token from POST /api/v1/auth/login; revocable.',
        },
      },
    },
  };
}
