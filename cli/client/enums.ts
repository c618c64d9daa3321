// The values the API declares for its enums, for menus, --help and early checks. Written out so
// the CLI and the dashboard carry no schema code; `everyOf` makes the compiler check each list
// against the declared type, both ways, so the lists cannot drift from collector/http/api.
import type { AlertFormatName, AlertKindName, ContentSort, CustomerPeriod, FunnelBy, GroupBy, Model, Period, PlanPeriod, Scope, Sort, WindowName } from "./client";

type Complete<T extends string, L extends readonly string[]> = [T] extends [L[number]] ? ([L[number]] extends [T] ? L : never) : never;
const everyOf = <T extends string>() => <const L extends readonly T[]>(list: Complete<T, L>) => list;

export const SCOPES = everyOf<Scope>()(["read", "import", "export", "admin"]);
export const WINDOWS = everyOf<WindowName>()(["7d", "30d", "90d"]);
export const SORTS = everyOf<Sort>()(["score", "sessions", "pageviews", "form_submits", "engaged_seconds"]);
export const PERIODS = everyOf<Period>()(["week", "month", "quarter"]);
export const MODELS = everyOf<Model>()(["first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay", "markov"]);
export const GROUP_BYS = everyOf<GroupBy>()(["channel", "source", "medium", "campaign", "landing_page", "page", "account_segment"]);
export const ALERT_KINDS = everyOf<AlertKindName>()(["page_view", "form_submit", "surging", "score_above"]);
export const ALERT_FORMATS = everyOf<AlertFormatName>()(["json", "slack"]);
export const FUNNEL_BYS = everyOf<FunnelBy>()(["channel", "source", "medium", "campaign", "landing_page"]);
export const PLAN_PERIODS = everyOf<PlanPeriod>()(["year", "quarter", "month"]);
export const CUSTOMER_PERIODS = everyOf<CustomerPeriod>()(["month", "quarter", "year"]);
export const CONTENT_SORTS = everyOf<ContentSort>()(["influenced_revenue", "attributed_revenue", "influenced_deals", "influenced_pipeline", "views", "visitors"]);
