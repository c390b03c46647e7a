/**
 * -m nfacct: nfacct objects are global, shared by every table and tool; nft's named counters
 * live inside one table. Refused until the emitter has counter objects.
 */
import type * as ipt from "../ir/ipt.js";
import type { MatchOut, RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerNfacct(ctx: RuleCtx, m: ipt.NfacctMatch): MatchOut {
	return refuse(ctx, "unsupported_option", `-m nfacct --nfacct-name ${m.name} is not translated (nft named counters are per table, nfacct objects global)`, "drop the nfacct match or use `counter name` with a counter object");
}
