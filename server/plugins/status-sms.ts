// Status SMS on the app: `app.statusSms` is the sender when SMS_GATEWAY_OUTBOUND_URL (or a test)
// names a gateway, and null otherwise, in which case status changes queue nothing
// (server/services/request-lifecycle.ts reads it). The worker
// starts with the app (resuming what a previous run left pending) and stops with it.
import { readConfig } from '../config.ts';
import { smsNumbersOf } from '../crypto/sms-numbers.ts';
import { SmsOutbox } from '../repositories/sms-outbox.ts';
import { StatusSmsSender, type StatusSmsSenderOptions } from '../services/sms-outbound.ts';
import { sharedPlugin } from './shared-plugin.ts';

export type StatusSmsOptions = Partial<Omit<StatusSmsSenderOptions, 'log'>>;

declare module 'fastify' {
  interface FastifyInstance {
    statusSms: StatusSmsSender | null;
  }
}

export const statusSmsPlugin = sharedPlugin<StatusSmsOptions>('jangkau-status-sms', async (app, options) => {
  const config = readConfig();
  const gateway = options.gateway ?? (config.smsOutboundUrl ? { url: config.smsOutboundUrl, secret: config.smsOutboundSecret ?? '' } : undefined);
  if (!gateway) {
    app.decorate('statusSms', null);
    return;
  }
  const sender = new StatusSmsSender(new SmsOutbox(app.db, await smsNumbersOf(app.dataKeys)), { ...options, gateway, log: app.log });
  app.decorate('statusSms', sender);
  app.addHook('onReady', async () => sender.start());
  app.addHook('onClose', async () => sender.stop());
});
