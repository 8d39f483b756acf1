// Request and answer schemas of the officer endpoints (auth, admin, inbox, audit): they validate,
// serialize and appear in the OpenAPI document.
import { REGION_PATTERN } from '../../core/kpi/periods.ts';
import { Type } from 'typebox';
import { ROLES } from '../../core/auth/roles.ts';
import { SERVER_STATUSES } from '../../core/protocol.ts';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';

export const officerErrors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  500: ErrorResponseSchema,
} as const;

export const RoleSchema = Type.Enum(ROLES);
export const StatusSchema = Type.Enum(SERVER_STATUSES);
const LocalTextSchema = Type.Object({ id: Type.String(), en: Type.String() });
const Ulid = Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' });
export const IdParamsSchema = Type.Object({ id: Ulid });

export const AccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  scope: Type.String(),
  displayName: Type.String(),
  createdAt: Type.String(),
  disabled: Type.Boolean(),
});

export const LoginRequestSchema = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  deviceLabel: Type.String({ minLength: 1, maxLength: 100 }),
  /**
   * A random secret the phone keeps in the clear: sent later as `x-jangkau-revocation-check:
   * <deviceId>.<check>`, it tells a locked phone that an admin revoked this token (docs/sync-protocol.md).
   */
  revocationCheck: Type.Optional(
    Type.String({
      minLength: 32,
      maxLength: 128,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'Random base64url secret (at least 24 bytes); the phone sends it with its sync requests to hear the wipe signal while locked',
    }),
  ),
});

export const LoginResponseSchema = Type.Object({
  token: Type.String(),
  deviceId: Type.String(),
  account: AccountSchema,
});

export const MeResponseSchema = Type.Object({ account: AccountSchema, deviceId: Type.String() });
export const OkSchema = Type.Object({ ok: Type.Literal(true) });

/**
 * An admin's revocation or disabling: `wipeOnContact` says that the phone(s) will erase the
 * officer's data at their next contact with the server, including anything not sent yet.
 */
export const RevokedSchema = Type.Object({ ok: Type.Literal(true), wipeOnContact: Type.Literal(true) });

export const NewAccountSchema = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
  role: RoleSchema,
  scope: Type.String({ minLength: 1, maxLength: 20 }),
  displayName: Type.String({ minLength: 1, maxLength: 100 }),
});

export const PasswordChangeSchema = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
  newPassword: Type.String({ minLength: 1, maxLength: 200 }),
});
export const PasswordResetSchema = Type.Object({ newPassword: Type.String({ minLength: 1, maxLength: 200 }) });
/** How many of the account's other device tokens the change revoked. */
export const PasswordChangedSchema = Type.Object({ ok: Type.Literal(true), revokedDevices: Type.Integer() });

export const PageQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});

export const AccountListSchema = Type.Object({ accounts: Type.Array(AccountSchema), more: Type.Boolean() });

export const DeviceTokenSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.String(),
  revoked: Type.Boolean(),
  /**
   * Revoked by an admin or with its account: at its next contact the phone erases the officer's
   * data, work not sent yet included (docs/security.md).
   */
  wipeOnContact: Type.Boolean(),
});
export const DeviceListSchema = Type.Object({ devices: Type.Array(DeviceTokenSchema) });

const DATE_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

export const InboxQuerySchema = Type.Object({
  status: Type.Optional(StatusSchema),
  form: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  overdue: Type.Optional(Type.Boolean()),
  /** Only open requests due within this many days from today (WIB), the overdue included. */
  dueWithin: Type.Optional(Type.Integer({ minimum: 0, maximum: 366 })),
  /** received: newest received first (the default); due: soonest due first, those without a due date last. */
  sort: Type.Optional(Type.Union([Type.Literal('received'), Type.Literal('due')])),
  /** A region inside the caller's scope (403 outside it). */
  region: Type.Optional(Type.String({ pattern: REGION_PATTERN })),
  /** Received on or after this WIB date. */
  receivedFrom: Type.Optional(Type.String({ pattern: DATE_PATTERN })),
  /** Received on or before this WIB date. */
  receivedTo: Type.Optional(Type.String({ pattern: DATE_PATTERN })),
  /** me: assigned to the caller; none: assigned to nobody. */
  assigned: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('none')])),
  /** A receipt number (with or without dashes), a 16-digit NIK or words of the requester's name; roles that may read requests only; audited. */
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});

const inboxItemProperties = {
  id: Type.String(),
  receipt: Type.String(),
  formId: Type.String(),
  formVersion: Type.Integer(),
  regionCode: Type.String(),
  status: StatusSchema,
  receivedAt: Type.String(),
  statusAt: Type.String(),
  dueOn: Type.Union([Type.String(), Type.Null()]),
  extended: Type.Boolean(),
  overdue: Type.Boolean(),
  fromOfficer: Type.Boolean(),
  formTitle: Type.Union([LocalTextSchema, Type.Null()]),
};
export const InboxItemSchema = Type.Object(inboxItemProperties);
/** A listed request: with its subject and requester's name for roles that may read requests (the list read is audited). */
export const InboxListItemSchema = Type.Object({
  ...inboxItemProperties,
  subject: Type.Optional(Type.Union([LocalTextSchema, Type.Null()])),
  requester: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export const InboxListSchema = Type.Object({ items: Type.Array(InboxListItemSchema), more: Type.Boolean(), today: Type.String() });
export const InboxRequestSchema = Type.Object({
  ...inboxItemProperties,
  createdAt: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  answer: Type.Union([Type.String(), Type.Null()]),
  answerDocument: Type.Union([Type.String(), Type.Null()]),
  /** Issue #14: the current status's details, the revisions, the internal notes and who is in charge. */
  revision: Type.Optional(Type.Integer()),
  fields: Type.Optional(Type.Array(Type.String())),
  ground: Type.Optional(Type.String()),
  keberatanBy: Type.Optional(Type.String()),
  revisions: Type.Optional(Type.Array(Type.Object({ revision: Type.Integer(), receivedAt: Type.String(), fields: Type.Array(Type.String()) }))),
  notes: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), accountId: Type.String(), author: Type.Union([Type.String(), Type.Null()]), text: Type.String(), at: Type.String() })),
  ),
  assignedTo: Type.Optional(Type.Union([Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }), Type.Null()])),
  /**
   * Its photos and documents: the current answers' files by field, whether each arrived, and the
   * files a completion replaced (`revision`: the version that held it, kept with the history).
   */
  files: Type.Optional(
    Type.Array(
      Type.Object({
        field: Type.String(),
        sha256: Type.String(),
        type: Type.String(),
        size: Type.Integer(),
        arrived: Type.Boolean(),
        revision: Type.Optional(Type.Integer()),
      }),
    ),
  ),
});

export const StatusChangeSchema = Type.Object({
  status: Type.Union([Type.Literal('diproses'), Type.Literal('selesai'), Type.Literal('ditolak')]),
  answer: Type.Optional(Type.String({ maxLength: 4000 })),
  /** sha256 of an uploaded attachment the answer refers to. */
  document: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
  /** ditolak: the ground (core/office/refusal-grounds.ts); required for a PPID request. */
  ground: Type.Optional(Type.String({ maxLength: 64 })),
});
export const ReturnSchema = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export const NoteSchema = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });
export const NoteResponseSchema = Type.Object({ id: Type.String() });
export const AssignSchema = Type.Object({ accountId: Type.Union([Ulid, Type.Null()]) }, { additionalProperties: false });
export const AssignResponseSchema = Type.Object({ id: Type.String(), assignedTo: Type.Union([Type.String(), Type.Null()]) });
export const StatusChangeResponseSchema = Type.Object({ id: Type.String(), status: StatusSchema, at: Type.String() });
export const ExtendResponseSchema = Type.Object({ id: Type.String(), dueOn: Type.String() });

export const AuditQuerySchema = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export const AuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Type.String(),
  actorRole: Type.String(),
  action: Type.String(),
  subject: Type.String(),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
});
export const AuditResponseSchema = Type.Object({
  entries: Type.Array(AuditEntrySchema),
  more: Type.Boolean(),
  verify: Type.Object({
    ok: Type.Boolean(),
    count: Type.Integer(),
    headHash: Type.Optional(Type.String()),
    brokenAt: Type.Optional(Type.Integer()),
    reason: Type.Optional(Type.String()),
  }),
});
