// What bench/accounts.mjs takes from the collector, bundled as the Worker runs it: the ranking
// statement itself and how the ranking's parameters are made, so its baseline cannot drift.
export { rankingSql } from "../collector/storage/accounts-read";
export { DEFAULT_EPOCH_DAY, windowScale } from "../collector/accounts/scoring";
export { engagementSettings } from "../collector/engagement/settings";
