// Markov removal-effect attribution over 10,000 journeys against SPEC §9's budget
// (GET /v1/revenue?model=markov over 10,000 journeys ≤ 1 s). Pure computation only: storage
// reads are not part of this figure.
// Run: npm exec -- node bench/markov.mjs
import { importCollector, prng } from "./lib.mjs";

const BUDGET_MS = 1_000;
const JOURNEYS = 10_000;
const CHANNELS = ["Direct", "Organic Search", "Paid Search", "Organic Social", "Paid Social", "Email", "Referral", "Display"];
const RUNS = 5;

const { markovRemovalEffects } = await importCollector("collector/revenue/markov.ts");


const random = prng(20260630);
const journeys = Array.from({ length: JOURNEYS }, () => {
  const length = 1 + Math.floor(random() * 20); // 1–20 touches
  const path = Array.from({ length }, () => CHANNELS[Math.floor(random() * CHANNELS.length)]);
  return { path, converted: random() < 0.03 };
});
const touches = journeys.reduce((n, j) => n + j.path.length, 0);
const converted = journeys.filter((j) => j.converted).length;

const times = [];
let effects;
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  effects = markovRemovalEffects(journeys);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)];

const sum = [...effects.values()].reduce((a, b) => a + b, 0);
if (effects.size !== CHANNELS.length || Math.abs(sum - 1) > 1e-9) throw new Error(`bad effects: ${[...effects]}`);

console.log(`markov removal effects: ${JOURNEYS.toLocaleString("en")} journeys, ${touches.toLocaleString("en")} touches, ${converted} converting, ${CHANNELS.length} channels (node ${process.version})`);
console.log(`median of ${RUNS} runs: ${median.toFixed(2)} ms; runs ${times.map((t) => t.toFixed(2)).join(", ")} ms`);
console.log(`ratio to the ${BUDGET_MS.toLocaleString("en")} ms budget: ${(median / BUDGET_MS).toFixed(4)} (${median <= BUDGET_MS ? "within" : "OVER"} budget)`);
if (median > BUDGET_MS) process.exitCode = 1;
