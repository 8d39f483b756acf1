// Reading and writing a submission's stored answers whether or not encryption at rest is on.
// With it, payload_json holds `j1.…` ciphertext bound to the row (associated data
// `submissions.payload_json:<id>`) under its form-and-month data key (NOTES of server-encrypt);
// without it, the canonical JSON itself. The data-subject flow and the NIK index backfill read
// and write through here, so they need no change when the key store arrives.
export interface FieldCipher {
  encryptField(scope: string, plaintext: string, aad: string): Promise<string>;
  decryptField(stored: string, aad: string): Promise<string>;
}

const ENCRYPTED_PREFIX = 'j1.';

function payloadAad(submissionId: string): string {
  return `submissions.payload_json:${submissionId}`;
}

export interface PayloadCodec {
  read(submissionId: string, stored: string): Promise<string>;
  write(submission: { id: string; formId: string; receivedAt: string }, json: string): Promise<string>;
}

export function payloadCodec(cipher: FieldCipher | undefined): PayloadCodec {
  return {
    async read(id, stored) {
      if (!stored.startsWith(ENCRYPTED_PREFIX)) return stored;
      if (!cipher) throw new Error('an encrypted payload and no key store to open it');
      return cipher.decryptField(stored, payloadAad(id));
    },
    async write(s, json) {
      return cipher ? cipher.encryptField(`sub:${s.formId}:${s.receivedAt.slice(0, 7)}`, json, payloadAad(s.id)) : json;
    },
  };
}
