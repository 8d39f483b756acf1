import { describe, expect, it } from 'vitest';
import { LinkSchedule } from '../../support/weak-link/link-schedule.ts';
import { TokenBucket } from '../../support/weak-link/token-bucket.ts';

describe('LinkSchedule', () => {
  it('combines the manual switch, outage windows and the cycle', () => {
    const s = new LinkSchedule();
    s.setCycle({ upMs: 20, downMs: 40 }, 1000);
    // Cycle: up [1000, 1020), down [1020, 1060), up [1060, 1080) …
    expect([1000, 1019, 1020, 1059, 1060].map((t) => s.isOnline(t))).toEqual([true, true, false, false, true]);
    expect(s.nextChange(1000)).toBe(1020);
    expect(s.nextChange(1030)).toBe(1060);
    s.setWindows([{ startMs: 5, durationMs: 3 }], 1000);
    expect([1004, 1005, 1007, 1008].map((t) => s.isOnline(t))).toEqual([true, false, false, true]);
    expect(s.nextChange(1000)).toBe(1005);
    expect(s.nextChange(1005)).toBe(1008);
    s.setManualOffline(true);
    expect(s.isOnline(1000)).toBe(false);
  });

  it('is steady without a cycle or windows', () => {
    const s = new LinkSchedule();
    expect(s.isOnline(123)).toBe(true);
    expect(s.nextChange(123)).toBeUndefined();
    s.setWindows([{ startMs: 0, durationMs: 10 }], 0);
    expect(s.nextChange(50)).toBeUndefined();
  });
});

describe('TokenBucket', () => {
  it('serialises bytes at the rate, shared by every sender', () => {
    const b = new TokenBucket(8000); // 1 byte per ms
    expect(b.reserve(100, 0)).toBe(100);
    // A second sender at t=50 queues behind the first: the link is one radio.
    expect(b.reserve(100, 50)).toBe(200);
    // After idling, a sender starts when it is ready, with no credit for the idle time.
    expect(b.reserve(10, 1000)).toBe(1010);
  });

  it('lets a configured burst start early, and passes everything when unshaped', () => {
    const b = new TokenBucket(8000, 50);
    expect(b.reserve(100, 1000)).toBe(1050);
    const free = new TokenBucket(Infinity);
    expect(free.reserve(1e9, 5)).toBe(5);
    expect(free.sliceBytes()).toBe(Infinity);
    expect(new TokenBucket(35_000).sliceBytes()).toBeGreaterThanOrEqual(128);
  });
});
