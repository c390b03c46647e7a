/** -m helper --helper NAME -> `ct helper "NAME"`; xt_helper's port-suffixed `ftp-21` form is refused. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerHelperMatch(ctx: RuleCtx, m: ipt.HelperMatch): MatchOut {
	const name = m.name.value;
	if (!/^[A-Za-z0-9_.]+$/.test(name)) return refuse(ctx, "unsupported_option", `helper name "${name}" cannot be written in nft`, "xt_helper's NAME-PORT form compares the port too; nft's ct helper compares the name only");
	return one(nft.rel({ kind: "ct", key: "helper" }, negOp(m.name.neg), { kind: "string", value: name, wildcard: false }));
}
