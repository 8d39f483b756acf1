// The one place errors become responses. Whatever a client sends, it gets a 4xx naming its
// mistake; only genuine server faults are 5xx, and those say nothing about internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorResponse } from '../../core/protocol.ts';
import { ApiError } from './api-error.ts';

const MAX_MESSAGE = 300;

/** Fastify's own client-fault codes and what the device is told. */
const FRAMEWORK_ERRORS: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'too_large', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_content_length', message: 'Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'Request body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'Request body is not valid JSON' },
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', message: 'Malformed URL' },
};

export interface ErrorReply {
  status: number;
  body: ErrorResponse;
}

/** Maps any thrown value to the answer a client gets. Pure, so it is tested on its own. */
export function describeError(error: unknown): ErrorReply {
  if (error instanceof ApiError) return { status: error.statusCode, body: { error: error.code, message: error.message } };
  const e = (typeof error === 'object' && error !== null ? error : {}) as Partial<FastifyError> & { validation?: unknown };
  if (e.validation !== undefined || e.code === 'FST_ERR_VALIDATION') {
    const message = typeof e.message === 'string' && e.message ? e.message.slice(0, MAX_MESSAGE) : 'Invalid request';
    return { status: 400, body: { error: 'invalid_request', message } };
  }
  const known = typeof e.code === 'string' ? FRAMEWORK_ERRORS[e.code] : undefined;
  if (known) return { status: known.status, body: { error: known.code, message: known.message } };
  // A body that JSON.parse rejected somewhere else, or a stream that broke mid-body.
  if (error instanceof SyntaxError) return { status: 400, body: { error: 'malformed_json', message: 'Request body is not valid JSON' } };
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    return { status, body: { error: status === 404 ? 'not_found' : 'bad_request', message: 'Request was not accepted' } };
  }
  return { status: 500, body: { error: 'internal', message: 'Internal server error; try again later' } };
}

const BEARER = 'Bearer realm="jangkau"';
const DEVICE = 'Device realm="jangkau"';

/**
 * The WWW-Authenticate challenge a 401 carries: the scheme the refused credential belongs to. An
 * officer's token is a Bearer token (RFC 6750); a resident's device sends `Device <id>.<secret>`;
 * routes that take either (push, pull, uploads) offer both when nothing usable came.
 */
export function challengeFor(code: string): string {
  switch (code) {
    case 'token_invalid':
      return `${BEARER}, error="invalid_token"`;
    case 'login_required':
    case 'login_failed':
      return BEARER;
    case 'device_auth':
    case 'device_unknown':
      return DEVICE;
    default:
      return `${DEVICE}, ${BEARER}`;
  }
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = describeError(error);
  if (status >= 500) {
    // Only the error's own text: database driver errors can carry row values in other fields.
    const e = error instanceof Error ? error : new Error(String(error));
    request.log.error({ err: { type: e.name, message: e.message, code: (e as { code?: unknown }).code, stack: e.stack } }, 'request failed');
  } else {
    request.log.info({ error: body.error, status }, 'request refused');
  }
  if (status === 401) reply.header('www-authenticate', challengeFor(body.error));
  void reply.code(status).type('application/json; charset=utf-8').send(body);
}
