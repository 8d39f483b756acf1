// The sync protocol between device and provincial API, defined once. The server validates with
// these schemas (and serves them in its OpenAPI document); the device parses answers with them.
import { Type, type Static } from 'typebox';

export const API_PREFIX = '/api/v1';
export const PROTOCOL_VERSION = 1;

/** Statuses a request moves through at the KPU office. */
export const SERVER_STATUSES = ['diterima', 'diproses', 'selesai', 'ditolak'] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];
export const FINAL_STATUSES: readonly ServerStatus[] = ['selesai', 'ditolak'];

export const MAX_ITEMS_PER_PUSH = 500;
/** Largest request body the server reads, after decompression. */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;

export const UlidSchema = Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' });

export const SubmissionEnvelopeSchema = Type.Object(
  {
    id: UlidSchema,
    formId: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }),
    formVersion: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    /** When the person pressed "Kirim" on the device (device clock, ISO 8601). */
    createdAt: Type.String({ format: 'date-time', maxLength: 40 }),
    data: Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { maxProperties: 200 }),
    /** Per-submission secret; the server keeps only its hash. */
    secret: Type.String({ minLength: 16, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type SubmissionEnvelope = Static<typeof SubmissionEnvelopeSchema>;

/** Items are checked one by one, so one malformed item cannot block a batch (invariant 5). */
export const PushRequestSchema = Type.Object(
  { items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_ITEMS_PER_PUSH }) },
  { additionalProperties: false },
);
export type PushRequest = { items: SubmissionEnvelope[] };

export const FieldIssueSchema = Type.Object({
  field: Type.String(),
  code: Type.String(),
  params: Type.Optional(Type.Record(Type.String(), Type.Number())),
});

export const REJECT_REASONS = ['invalid_envelope', 'unknown_form', 'invalid_data', 'id_conflict'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const ItemResultSchema = Type.Object({
  /** The item's id, or its position when it had no usable id. */
  id: Type.String(),
  outcome: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  /** When the province first received it (the original acknowledgement for duplicates). */
  receivedAt: Type.Optional(Type.String()),
  reason: Type.Optional(Type.Enum(REJECT_REASONS)),
  errors: Type.Optional(Type.Array(FieldIssueSchema)),
});
export type ItemResult = Static<typeof ItemResultSchema>;

export const PushResponseSchema = Type.Object({
  results: Type.Array(ItemResultSchema),
  serverTime: Type.String(),
});
export type PushResponse = Static<typeof PushResponseSchema>;

export const ChangeSchema = Type.Object({
  seq: Type.Integer(),
  submissionId: Type.String(),
  status: Type.Enum(SERVER_STATUSES),
  answer: Type.Optional(Type.String()),
  at: Type.String(),
});
export type Change = Static<typeof ChangeSchema>;

export const PullQuerySchema = Type.Object({
  since: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

export const PullResponseSchema = Type.Object({
  changes: Type.Array(ChangeSchema),
  /** Pass back as `since` next time. */
  cursor: Type.String(),
  more: Type.Boolean(),
});
export type PullResponse = Static<typeof PullResponseSchema>;

export const HealthResponseSchema = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  time: Type.String(),
});

export const ErrorResponseSchema = Type.Object({
  error: Type.String(),
  message: Type.String(),
});
export type ErrorResponse = Static<typeof ErrorResponseSchema>;

/**
 * Devices identify themselves with `Authorization: Device <deviceId>.<deviceSecret>`. A resident's
 * device makes both itself; the server binds the id to the secret's hash on first use.
 */
export const DEVICE_AUTH_SCHEME = 'Device';

export function deviceAuthorization(deviceId: string, deviceSecret: string): string {
  return `${DEVICE_AUTH_SCHEME} ${deviceId}.${deviceSecret}`;
}

export function parseDeviceAuthorization(header: string | undefined): { deviceId: string; secret: string } | undefined {
  const m = header?.match(/^Device ([0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{16,128})$/);
  return m ? { deviceId: m[1]!, secret: m[2]! } : undefined;
}
