/** CLASSIFY --set-class -> `meta priority set major:minor`; AUDIT -> `log level audit`. */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";

export function lowerClassify(t: Extract<ipt.Target, { kind: "classify" }>): nft.Stmt[] {
	return [{ kind: "priority-set", major: t.major, minor: t.minor }];
}

export function lowerAudit(): nft.Stmt[] {
	// xt_AUDIT's --type only labels the record; nft's audit log records the same packet fields.
	return [{ kind: "log", level: "audit" }];
}
