/**
 * Random branches (statistic, numgen) as exact distributions: re-run the scenario depth-first,
 * replaying a recorded prefix of `choose()` answers and flipping the last `true` each time, until
 * every branch has been visited. Outcomes with equal keys merge; probabilities multiply along a
 * branch. Doubles are exact enough here; comparisons use P_TOLERANCE.
 */
import { outcomeKey, type Distribution, type ScenarioOutcome, type Weighted } from "./outcome.js";

export type Chooser = (probability: number) => boolean;

export const MAX_BRANCHES = 4096;

export function explore(run: (choose: Chooser) => ScenarioOutcome, maxBranches = MAX_BRANCHES): Distribution {
	const merged = new Map<string, { p: number; outcome: ScenarioOutcome }>();
	let prefix: boolean[] = [];
	let runs = 0;
	let truncated = false;
	for (;;) {
		const answers: boolean[] = [];
		let weight = 1;
		const choose: Chooser = (p) => {
			// Certain outcomes are not branches.
			if (!(p > 0)) return false;
			if (p >= 1) return true;
			const i = answers.length;
			const a = i < prefix.length ? prefix[i]! : true;
			answers.push(a);
			weight *= a ? p : 1 - p;
			return a;
		};
		const outcome = run(choose);
		const key = outcomeKey(outcome);
		const m = merged.get(key);
		if (m) m.p += weight;
		else merged.set(key, { p: weight, outcome });
		runs++;
		let j = answers.length - 1;
		while (j >= 0 && !answers[j]) j--;
		if (j < 0) break;
		if (runs >= maxBranches) {
			truncated = true;
			break;
		}
		prefix = answers.slice(0, j);
		prefix.push(false);
	}
	const entries: Weighted[] = [...merged.entries()]
		.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
		.map(([key, v]) => ({ key, p: v.p, outcome: v.outcome }));
	return { entries, truncated };
}
