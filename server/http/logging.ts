// What request logs may contain: method, path and status. No bodies, no query strings, no
// headers (Authorization carries device secrets), no client addresses: the logs hold no
// personal data and need no protection of their own.
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { pathOf } from './security-headers.ts';

export interface AppLoggerOptions {
  level?: string;
  /** Where log lines go (tests capture them); stdout by default. */
  stream?: NodeJS.WritableStream;
}

export function loggerConfig(logger: boolean | AppLoggerOptions | undefined): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false;
  const options = logger === true ? {} : logger;
  return {
    level: options.level ?? 'info',
    ...(options.stream ? { stream: options.stream } : {}),
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, path: pathOf(request.url) }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
}
