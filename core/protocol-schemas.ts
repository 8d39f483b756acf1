// JSON Schemas of the sync protocol (TypeBox). The server validates requests with them and
// builds its OpenAPI document from them; types derived from them are exported by protocol.ts.
import { Type } from 'typebox';
import { MAX_ITEMS_PER_PUSH, MAX_REVISION, MAX_SEALED_CHARS, REJECT_REASONS, SERVER_STATUSES } from './protocol.ts';

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
    /** A practice (latihan) submission from an officer in training; absent for real ones. */
    practice: Type.Optional(Type.Literal(true)),
    /**
     * A completion of a request the office returned (perlu_dilengkapi): revision n of the request
     * `id`, whose `data` holds only the fields the office asked for; absent for the first filing
     * (revision 0). (id, revision) is its idempotency key (docs/sync-protocol.md).
     */
    revision: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REVISION })),
    /**
     * The whole envelope packed and sealed to the server's key (core/sealed/sealed-submission.ts),
     * base64url; `data` is then empty. An officer's finalised submission travels so, as it is kept.
     */
    sealed: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_SEALED_CHARS, pattern: '^[A-Za-z0-9_-]+$' })),
    /**
     * The voter record a coklit visit updates (issue #13) and the version the officer saw: an
     * update on an older version opens a conflict instead of overwriting (core/voters/merge.ts).
     */
    record: Type.Optional(
      Type.Object(
        { id: Type.String({ pattern: '^[a-f0-9]{32}$' }), baseVersion: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** Items are checked one by one, so one malformed item cannot block a batch (invariant 5). */
export const PushRequestSchema = Type.Object(
  { items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_ITEMS_PER_PUSH }) },
  { additionalProperties: false },
);

export const FieldIssueSchema = Type.Object({
  field: Type.String(),
  code: Type.String(),
  params: Type.Optional(Type.Record(Type.String(), Type.Number())),
});

export const ItemResultSchema = Type.Object({
  /** The item's id, or its position when it had no usable id. */
  id: Type.String(),
  outcome: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  /** When the province first received it (the original acknowledgement for duplicates). */
  receivedAt: Type.Optional(Type.String()),
  reason: Type.Optional(Type.Enum(REJECT_REASONS)),
  errors: Type.Optional(Type.Array(FieldIssueSchema)),
});

export const PushResponseSchema = Type.Object({
  results: Type.Array(ItemResultSchema),
  serverTime: Type.String(),
});

/**
 * POST /follow: requests filed earlier, each by its id and per-submission secret, that this device
 * should follow from now on (a resident's phone under a fresh identity). No items: only make the
 * device known. The answer names the ids this device now follows; a wrong secret or an unknown id
 * is left out, without saying which.
 */
export const FollowRequestSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({ id: UlidSchema, secret: Type.String({ minLength: 16, maxLength: 128 }) }, { additionalProperties: false }),
      { maxItems: MAX_ITEMS_PER_PUSH },
    ),
  },
  { additionalProperties: false },
);

export const FollowResponseSchema = Type.Object({ following: Type.Array(Type.String()) });

export const ChangeSchema = Type.Object({
  seq: Type.Integer(),
  submissionId: Type.String(),
  status: Type.Enum(SERVER_STATUSES),
  /** The office's answer; for perlu_dilengkapi the reason it was returned. */
  answer: Type.Optional(Type.String()),
  at: Type.String(),
  /** perlu_dilengkapi: the names of the fields to complete. */
  fields: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200 })),
  /** perlu_dilengkapi: the revision the completion must carry; diproses after a completion: the revision taken. */
  revision: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REVISION })),
  /** ditolak: the ground of the refusal (core/office/refusal-grounds.ts). */
  ground: Type.Optional(Type.String({ maxLength: 64 })),
  /** ditolak: the last WIB date for a keberatan (UU 14/2008 art. 36), when the law gives one. */
  keberatanBy: Type.Optional(Type.String({ maxLength: 10 })),
});

export const PullQuerySchema = Type.Object({
  since: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

export const PullResponseSchema = Type.Object({
  changes: Type.Array(ChangeSchema),
  /** Pass back as `since` next time. */
  cursor: Type.String(),
  more: Type.Boolean(),
  /** Changes whenever a form version is published or retired: fetch /forms when it differs. */
  formsTag: Type.Optional(Type.String({ maxLength: 200 })),
});

export const HealthResponseSchema = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  time: Type.String(),
});

export const ErrorResponseSchema = Type.Object({
  error: Type.String(),
  message: Type.String(),
});
