// Submissions that reach the server without their own phone's push (by SMS, or carried by an
// officer's phone as a sealed QR hand-off) are ingested as coming from a server-side device, one
// per channel. Its id is fixed and published; its row is made by migration 011 as kind `channel`,
// which no request from outside may act as (server/auth/officer.ts), so nobody can claim the id,
// pull the statuses of what came in that way, or break the channel. The carrier (the gateway, the
// officer's phone) never follows the resident's request; the resident's phone, which holds each
// submission's secret, links itself when it later pushes.
import type { DeviceCredentials } from '../repositories/devices.ts';

/** Valid ULIDs that no phone makes (time 0), ending in the channel's name for logs and tables. */
export const CHANNEL_DEVICE_IDS = {
  sms: '00000000000000000000000SMS',
  handoff: '0000000000000000000000HAND',
} as const;
export type Channel = keyof typeof CHANNEL_DEVICE_IDS;

export function channelDevice(channel: Channel): DeviceCredentials {
  return { kind: 'channel', deviceId: CHANNEL_DEVICE_IDS[channel] };
}
