// The error answers routes declare, so they are serialized and documented like any other answer.
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';

export const clientErrors = {
  400: ErrorResponseSchema,
  500: ErrorResponseSchema,
} as const;

export const deviceErrors = {
  ...clientErrors,
  401: ErrorResponseSchema,
} as const;

export const bodyErrors = {
  ...deviceErrors,
  413: ErrorResponseSchema,
  415: ErrorResponseSchema,
} as const;
