// Revenue attribution and revenue per visitor: pure functions over plain values (SPEC §6).
export { attribute, attributeMarkov, type AttributeOptions } from "./models";
export { journeyOf, markovRemovalEffects } from "./markov";
export { journeyBeforeClose } from "./lookback";
export { countTraffic, groupKeys, GROUP_BYS, NONE_KEY, type GroupBy, type GroupKeys, type Traffic, type TrafficCounts } from "./groups";
export { MixedCurrenciesError, revenueByGroup, type RevenueInput, type RevenueReport, type RevenueRow } from "./rpv";
export { MODELS, type Credit, type Deal, type Journey, type Model, type Touchpoint } from "./types";
