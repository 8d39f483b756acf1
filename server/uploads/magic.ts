// Which file a stored upload really is, from its first bytes. The device declares a type, but a
// renamed executable must not pass as a photo, so the server trusts only the magic bytes.

export const ALLOWED_UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;
export type UploadType = (typeof ALLOWED_UPLOAD_TYPES)[number];

/** How many leading bytes `sniffType` needs. */
export const SNIFF_BYTES = 12;

export function isAllowedType(type: string): type is UploadType {
  return (ALLOWED_UPLOAD_TYPES as readonly string[]).includes(type);
}

function startsWith(head: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (head.length < at + bytes.length) return false;
  return bytes.every((b, i) => head[at + i] === b);
}

/** The allowed type these leading bytes belong to, or undefined for anything else. */
export function sniffType(head: Uint8Array): UploadType | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF....WEBP: the four bytes between are the chunk size.
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return undefined;
}
