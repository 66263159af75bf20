import type { Feature } from "@tollgate/core";
import type { EngineDeps } from "../context";
import { featureMap } from "./loadCatalog";

/** The feature catalog from the cache, loaded on first use and after any catalog change. */
export async function catalogFeatures(deps: EngineDeps): Promise<Map<string, Feature>> {
  if (deps.cache.features) return deps.cache.features;
  const features = await featureMap(deps.db);
  deps.cache.features = features;
  return features;
}
