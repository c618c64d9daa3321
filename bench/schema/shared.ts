// What the three fixture apps share: the enums and the answer (the handlers' work is not measured).
export const BY = ["channel", "source", "medium", "campaign", "landing_page", "page", "account_segment"] as const;
export const MODEL = ["first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay", "markov"] as const;
export const WINDOW = ["7d", "30d", "90d"] as const;

export const answer = (by: string, model: string) => ({
  by,
  model,
  rows: [{ key: "Email", visitors: 1000, sessions: 1200, revenue: 412500, revenue_per_visitor: 412.5 }],
});
