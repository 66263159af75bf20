/** What a flag key asks of a feature: `sso` (its value), `ai_tokens:limit`, `ai_tokens:remaining`, `ai_tokens:used`. */
export type FlagAspect = "value" | "limit" | "remaining" | "used";

const ASPECTS: readonly FlagAspect[] = ["limit", "remaining", "used"];

export interface FlagKey {
  feature: string;
  aspect: FlagAspect;
}

export function parseFlagKey(flagKey: string): FlagKey {
  const colon = flagKey.lastIndexOf(":");
  if (colon > 0) {
    const suffix = flagKey.slice(colon + 1);
    const aspect = ASPECTS.find((known) => known === suffix);
    if (aspect) return { feature: flagKey.slice(0, colon), aspect };
  }
  return { feature: flagKey, aspect: "value" };
}
