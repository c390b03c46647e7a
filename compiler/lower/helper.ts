/**
 * -m helper --helper NAME -> `ct helper "NAME"`. Both read the helper of the connection's master.
 * Not exact, so refused:
 * - `! --helper`: without a master helper (most connections) xt_helper returns its inversion
 *   (matches) while nft's `ct helper` has nothing to load and the rule does not match;
 * - names xt_helper would also match through another helper: it compares only strlen(helper) bytes,
 *   so "sipx" matches the "sip" helper, and the port-suffixed "ftp-21" form.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

/** Helper names of the kernel's conntrack helpers. */
export const KERNEL_HELPERS: readonly string[] = ["amanda", "ftp", "tftp", "irc", "sip", "sane", "snmp", "snmp_trap", "pptp", "netbios-ns", "RAS", "Q.931", "H.245"];

export function lowerHelperMatch(ctx: RuleCtx, m: ipt.HelperMatch): MatchOut {
	const name = m.name.value;
	const shadow = KERNEL_HELPERS.find((h) => h !== name && name.startsWith(h));
	if (shadow !== undefined || !/^[A-Za-z0-9_.]+$/.test(name))
		return refuse(ctx, "unsupported_option", `helper name "${name}" cannot be written in nft`, `xt_helper compares only the length of the helper's own name${shadow !== undefined ? `, so this also matches "${shadow}"` : ""}; nft's ct helper compares the whole name`);
	if (m.name.neg)
		return refuse(ctx, "inexpressible", "! --helper cannot be expressed in nft: it matches connections without a helper, where `ct helper` does not match at all", `match the helper positively in a rule before, e.g. \`ct helper "${name}" return\` in a chain of its own`);
	return one(nft.rel({ kind: "ct", key: "helper" }, "==", { kind: "string", value: name, wildcard: false }));
}
