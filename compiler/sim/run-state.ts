/**
 * State that lives across packets of one scenario run (xt_recent lists, nft dynamic sets): one
 * store per evaluation context and owner, emptied when the context starts a new run.
 */
import type { EvalContext } from "./model.js";

interface Slot<T> {
	run: number | undefined;
	value: T;
}

export class RunState<T> {
	private readonly slots = new WeakMap<EvalContext, Slot<T>>();
	private readonly fresh: () => T;
	constructor(fresh: () => T) {
		this.fresh = fresh;
	}

	/** The state of this context's current run. */
	get(ctx: EvalContext): T {
		let s = this.slots.get(ctx);
		if (s === undefined) {
			s = { run: ctx.run, value: this.fresh() };
			this.slots.set(ctx, s);
		} else if (s.run !== ctx.run) {
			s.run = ctx.run;
			s.value = this.fresh();
		}
		return s.value;
	}
}
