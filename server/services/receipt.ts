// Receipt numbers as operators type them: read aloud in groups (01JD-2K8F-…), maybe lower case.
export function normalizeReceipt(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}
