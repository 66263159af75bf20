import { describe, expect, it } from "vitest";
import { type Counters, rememberCounter, usedNow } from "../../src/metering/counters";

const DAY = 86_400_000;
const june = Date.UTC(2026, 5, 1);
const day = (n: number) => ({ windowStart: june + n * DAY, windowEnd: june + (n + 1) * DAY });
const month = { windowStart: june, windowEnd: Date.UTC(2026, 6, 1) };

describe("the counters a cached customer holds", () => {
  it("holds today's and this month's windows side by side, and answers each window its own", () => {
    const counters: Counters = new Map();
    rememberCounter(counters, "calls", { ...month, used: 500 });
    rememberCounter(counters, "calls", { ...day(14), used: 3 });
    const noon = june + 14 * DAY + DAY / 2;
    expect(usedNow(counters, "calls", "", noon, day(14).windowStart, day(14).windowEnd)).toBe(3);
    expect(usedNow(counters, "calls", "", noon, month.windowStart, month.windowEnd)).toBe(500);
    // A window nobody counted in yet: nothing used.
    expect(usedNow(counters, "calls", "", noon, noon - (noon % 3_600_000), null)).toBe(0);
  });

  it("keeps a window's newest value, drops yesterday's once today's is written, and ignores a late window", () => {
    const counters: Counters = new Map();
    rememberCounter(counters, "calls", { ...day(13), used: 7 });
    rememberCounter(counters, "calls", { ...day(14), used: 1 });
    rememberCounter(counters, "calls", { ...day(14), used: 2 });
    // A late event of the 12th: its window ended before one held began.
    rememberCounter(counters, "calls", { ...day(12), used: 9 });
    expect(counters.get("calls")).toEqual([{ ...day(14), used: 2 }]);
  });
});
