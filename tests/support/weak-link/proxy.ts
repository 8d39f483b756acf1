// A userspace stand-in for netem: a TCP proxy on loopback that gives the traffic between a
// client (browser, sync client, benchmark) and the real server the latency, bandwidth, outages
// and failures of the islands' radio links. See README.md in this folder for the model.

import net from 'node:net';
import { once } from 'node:events';
import { Connection, type ConnectionContext } from './connection.ts';
import { FAULT_KINDS, FaultPlan, type FaultInjection, type FaultKind } from './faults.ts';
import type { RequestHead } from './http-framer.ts';
import { LinkSchedule, type OutageWindow } from './link-schedule.ts';
import type { PipeEnv } from './pipe.ts';
import { createPrng } from './prng.ts';
import { resolveProfile, type ProfileName, type WeakLinkProfile } from './profiles.ts';
import { TokenBucket } from './token-bucket.ts';

export type { OutageWindow } from './link-schedule.ts';
export type { FaultInjection } from './faults.ts';

/**
 * What happens while the link is down.
 * - 'reset': open connections are reset when it goes down; new ones are accepted and reset at
 *   once. Clients fail fast with ECONNRESET, which keeps tests short.
 * - 'hang': nothing moves and new connections are accepted but get no answer; when the link
 *   comes back, everything carries on (like TCP retransmitting). Clients need their own timeouts.
 */
export type OfflineBehaviour = 'reset' | 'hang';

export interface WeakLinkProxyOptions {
  readonly target: { readonly host: string; readonly port: number };
  readonly profile?: ProfileName | WeakLinkProfile;
  /** 0 (default) picks a free port. */
  readonly listenPort?: number;
  readonly listenHost?: string;
  readonly whenOffline?: OfflineBehaviour;
  /** Seed of the PRNG behind probabilistic faults (default 1). */
  readonly seed?: number;
}

export interface FaultRecord {
  /** The request's ordinal in stats().requests (1-based). */
  readonly request: number;
  readonly kind: FaultKind;
  readonly method: string;
  readonly target: string;
}

export interface WeakLinkStats {
  /** Client → server bytes that crossed the link (HTTP heads included). */
  readonly bytesUp: number;
  /** Server → client bytes that crossed the link. */
  readonly bytesDown: number;
  /** Client connections accepted. */
  readonly connections: number;
  readonly openConnections: number;
  /** HTTP request lines seen from clients. */
  readonly requests: number;
  /** Connections the proxy reset (faults and outages). */
  readonly resets: number;
  readonly faults: Readonly<Record<FaultKind, number>>;
  readonly faultLog: readonly FaultRecord[];
  /** Since start or the last resetStats(). */
  readonly elapsedMs: number;
  readonly online: boolean;
}

export interface WeakLinkProxy {
  readonly port: number;
  /** http://host:port of the proxy, to use in place of the server's URL. */
  readonly url: string;
  stats(): WeakLinkStats;
  resetStats(): void;
  /** Applies to bytes from now on; a profile's cycle restarts (in its up phase). */
  setProfile(profile: ProfileName | WeakLinkProfile): void;
  /** false forces the link down; true lifts only that (scheduled outages still apply). */
  setOnline(online: boolean): void;
  /** Replaces the outage schedule; windows are relative to this call. [] clears it. */
  scheduleOutages(windows: readonly OutageWindow[]): void;
  /** Adds a fault rule; returns a function that removes it. */
  injectFault(fault: FaultInjection): () => void;
  clearFaults(): void;
  /** Stops listening, ends every socket and timer. */
  close(): Promise<void>;
}

interface Counters {
  startedAt: number;
  bytesUp: number;
  bytesDown: number;
  connections: number;
  requests: number;
  resets: number;
  faults: Record<FaultKind, number>;
  faultLog: FaultRecord[];
}

const now = (): number => performance.now();
// setTimeout silently turns longer delays into 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

function freshCounters(): Counters {
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  return { startedAt: now(), bytesUp: 0, bytesDown: 0, connections: 0, requests: 0, resets: 0, faults, faultLog: [] };
}

export async function startWeakLinkProxy(options: WeakLinkProxyOptions): Promise<WeakLinkProxy> {
  let profile = resolveProfile(options.profile ?? 'loopback');
  const offlineBehaviour = options.whenOffline ?? 'reset';
  const upBucket = new TokenBucket(profile.upBps, profile.burstBytes);
  const downBucket = new TokenBucket(profile.downBps, profile.burstBytes);
  const schedule = new LinkSchedule();
  schedule.setCycle(profile.cycle, now());
  const plan = new FaultPlan(createPrng(options.seed ?? 1));
  const connections = new Set<Connection>();
  let counters = freshCounters();
  let linkUp = true;
  let linkTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const envFor = (bucket: TokenBucket): PipeEnv => ({
    now,
    bucket,
    oneWayMs: () => profile.rttMs / 2,
    flowing: () => linkUp,
  });

  const context: ConnectionContext = {
    target: options.target,
    upEnv: envFor(upBucket),
    downEnv: envFor(downBucket),
    linkUp: () => linkUp,
    onRequest(head: RequestHead) {
      counters.requests += 1;
      const fault = plan.decide(head);
      if (fault !== undefined) {
        counters.faults[fault.kind] += 1;
        counters.faultLog.push({ request: counters.requests, kind: fault.kind, method: head.method, target: head.target });
      }
      return fault;
    },
    onBytes(direction, bytes) {
      if (direction === 'up') counters.bytesUp += bytes;
      else counters.bytesDown += bytes;
    },
    onReset() {
      counters.resets += 1;
    },
    onClosed(connection) {
      connections.delete(connection);
    },
  };

  // Re-reads the link state and sets one timer for its next change.
  const refreshLink = (): void => {
    clearTimeout(linkTimer);
    linkTimer = undefined;
    if (closed) return;
    const t = now();
    const up = schedule.isOnline(t);
    if (up !== linkUp) {
      linkUp = up;
      for (const connection of [...connections]) {
        if (up) connection.kick();
        else if (offlineBehaviour === 'reset') connection.reset();
      }
    }
    const next = schedule.nextChange(t);
    if (next !== undefined) {
      linkTimer = setTimeout(refreshLink, Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(next - t))));
    }
  };

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    counters.connections += 1;
    if (closed || (!linkUp && offlineBehaviour === 'reset')) {
      client.on('error', () => undefined);
      if (!closed) counters.resets += 1;
      client.resetAndDestroy();
      return;
    }
    connections.add(new Connection(client, context));
  });
  server.listen(options.listenPort ?? 0, options.listenHost ?? '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('weak-link proxy: no TCP address');
  refreshLink();

  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    port: address.port,
    url: `http://${host}:${address.port}`,
    stats: () => ({
      bytesUp: counters.bytesUp,
      bytesDown: counters.bytesDown,
      connections: counters.connections,
      openConnections: connections.size,
      requests: counters.requests,
      resets: counters.resets,
      faults: { ...counters.faults },
      faultLog: [...counters.faultLog],
      elapsedMs: now() - counters.startedAt,
      online: linkUp,
    }),
    resetStats() {
      counters = freshCounters();
    },
    setProfile(next) {
      profile = resolveProfile(next);
      upBucket.setRate(profile.upBps, profile.burstBytes);
      downBucket.setRate(profile.downBps, profile.burstBytes);
      schedule.setCycle(profile.cycle, now());
      refreshLink();
    },
    setOnline(online) {
      schedule.setManualOffline(!online);
      refreshLink();
    },
    scheduleOutages(windows) {
      schedule.setWindows(windows, now());
      refreshLink();
    },
    injectFault: (fault) => plan.add(fault),
    clearFaults() {
      plan.clear();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(linkTimer);
      linkTimer = undefined;
      plan.clear();
      for (const connection of [...connections]) connection.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
