import type { Engine } from "@tollgate/engine";
import { measure } from "./stats";

/** In-process `check` over every customer, beside a bare Map.get over as many keys. */
export async function benchCheckInProcess(engine: Engine, ids: string[], iterations: number) {
  const refs = ids.map((customerId) => ({ env: "live" as const, customerId }));
  const baselineMap = new Map(ids.map((id) => [id, { allowed: true }]));
  const pick = (i: number) => (i * 7919) % ids.length;
  const ref = (i: number) => refs[pick(i)] as (typeof refs)[number];
  const input = { feature: "ai_tokens", quantity: 1 };
  // Warm both paths so the JIT has compiled them before timing.
  await measure(50_000, (i) => baselineMap.get(ids[pick(i)] as string));
  await measure(50_000, (i) => engine.entitlements.checkCached(ref(i), input));
  const baseline = await measure(iterations, (i) => baselineMap.get(ids[pick(i)] as string));
  const cachedSync = await measure(iterations, (i) => engine.entitlements.checkCached(ref(i), input));
  const asyncCheck = await measure(iterations, (i) => engine.entitlements.check(ref(i), input));
  return { baseline, cachedSync, asyncCheck };
}
