// The wipe signal for a locked phone (issue #12 finding 4, docs/sync-protocol.md). A phone with an
// officer's PIN seals the officer's token under its device key, so while locked it sends no token
// and never hears the 401 `token_revoked_wipe`; but it still syncs under its own device credential,
// in the page or the service worker. At login it gave a random check (kept on the phone in the
// clear, only its hash here); it sends `<tokenId>.<check>` with its requests, and the answer to any
// of them, whatever its credential or status, carries `x-jangkau-wipe: officer` once an admin
// revoked that token or disabled the account. Nobody without the check hears anything, and the
// check opens nothing: it only asks this one question.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseRevocationCheck, REVOCATION_CHECK_HEADER, WIPE_HEADER, WIPE_OFFICER } from '../../core/protocol.ts';
import { wipeSignalled } from '../repositories/tokens.ts';
import { secretHash } from '../services/hashing.ts';

/** onRequest hook (whole app), before the credential is checked: a refused request still tells. */
export async function signalWipe(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const raw = request.headers[REVOCATION_CHECK_HEADER];
  const asked = parseRevocationCheck(typeof raw === 'string' ? raw : undefined);
  if (!asked) return;
  if (await wipeSignalled(request.server.db, asked.tokenId, secretHash(asked.check))) reply.header(WIPE_HEADER, WIPE_OFFICER);
}
