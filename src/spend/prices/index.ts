/** The price map and cost computation: the only code in tollgate that turns usage into money. */
export { BUILTIN_PRICES } from "./builtin.ts";
export { createCostCalculator, ownPrices, type CostCalculator, type CostCalculatorOptions, type CostResult, type PriceTarget } from "./calculator.ts";
export { computeCost, isTimeBilled, unitPrices, type CostOptions, type CostUsage, type UnitPrices } from "./cost.ts";
export { DEFAULT_MAX_OUTPUT_TOKENS, estimateCost, estimatePromptTokens, requestedMaxOutputTokens, type EstimateRequest } from "./estimate.ts";
export { isFreeDeployment, isFreeModel } from "./free.ts";
export { loadPriceMap, parsePriceEntries, PRICE_MAP_PATH_ENV, priceMapOf, readPriceFile, resolvePriceMapPath, type LoadPriceMapOptions } from "./load.ts";
export { candidateNames, lookupPrice, providerAccepts, stripModelName, type PriceQuery } from "./lookup.ts";
export { PRICE_FIELDS, type PriceEntry, type PriceMap, type PriceMatch } from "./types.ts";
