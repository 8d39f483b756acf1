import { describe, expect, it } from 'vitest';
import { PROFILES, lowerBoundMs, resolveProfile, type WeakLinkProfile } from '../../support/weak-link/profiles.ts';

describe('weak-link profiles', () => {
  it('carry the numbers of DESIGN.md', () => {
    expect(PROFILES['pulau-2g']).toMatchObject({ rttMs: 1300, downBps: 35_000, upBps: 32_000 });
    expect(PROFILES['pulau-edge']).toMatchObject({ rttMs: 840, downBps: 240_000, upBps: 200_000 });
    expect(PROFILES['pulau-flaky']).toMatchObject({ rttMs: 840, cycle: { upMs: 20_000, downMs: 40_000 } });
    expect(PROFILES['3g-slow']).toMatchObject({ rttMs: 200, downBps: 780_000, upBps: 330_000 });
    expect(PROFILES.loopback).toMatchObject({ rttMs: 0, downBps: Infinity, upBps: Infinity });
    for (const [name, profile] of Object.entries(PROFILES)) expect(profile.name).toBe(name);
  });

  it('refuses impossible custom profiles', () => {
    const bad: WeakLinkProfile[] = [
      { name: 'x', rttMs: -1, downBps: 1, upBps: 1 },
      { name: 'x', rttMs: 0, downBps: 0, upBps: 1 },
      { name: 'x', rttMs: 0, downBps: 1, upBps: 1, cycle: { upMs: 0, downMs: 5 } },
    ];
    for (const profile of bad) expect(() => resolveProfile(profile)).toThrow(RangeError);
  });
});

describe('lowerBoundMs', () => {
  // requests × RTT + bytesUp×8/up_bps×1000 + bytesDown×8/down_bps×1000, handshakes on request.
  it.each([
    ['one empty exchange is one RTT', 'pulau-2g', { requests: 1, bytesUp: 0, bytesDown: 0 }, 1300],
    ['a new connection adds a handshake RTT', 'pulau-2g', { requests: 1, bytesUp: 0, bytesDown: 0, connections: 1 }, 2600],
    ['4 KB up at 32 kbit/s', 'pulau-2g', { requests: 0, bytesUp: 4000, bytesDown: 0 }, 1000],
    ['35 KB down at 35 kbit/s', 'pulau-2g', { requests: 0, bytesUp: 0, bytesDown: 35_000 }, 8000],
    ['3 requests on 3g-slow with bytes', '3g-slow', { requests: 3, bytesUp: 33_000, bytesDown: 78_000 }, 600 + 800 + 800],
    ['loopback costs nothing', 'loopback', { requests: 10, bytesUp: 1e6, bytesDown: 1e6, connections: 3 }, 0],
  ] as const)('%s', (_label, profile, volume, expected) => {
    expect(lowerBoundMs(profile, volume)).toBeCloseTo(expected, 6);
  });

  it('takes custom profiles and rejects negative volumes', () => {
    const custom = { name: 'c', rttMs: 100, downBps: 8000, upBps: 8000 };
    expect(lowerBoundMs(custom, { requests: 2, bytesUp: 1000, bytesDown: 2000 })).toBeCloseTo(200 + 1000 + 2000, 6);
    expect(() => lowerBoundMs(custom, { requests: -1, bytesUp: 0, bytesDown: 0 })).toThrow(RangeError);
  });
});
