/**
 * -m nfacct --nfacct-name NAME -> `counter name "NAME"` (or `quota name "NAME"`) with the object
 * declared in the rule's table.
 *
 * xt_nfacct adds the packet to the object and then matches unless the object has a quota and is
 * still under it (`overquota != NFACCT_UNDERQUOTA`): an object without quota always matches, so a
 * named counter at the same place in the rule counts the same packets and decides alike. The
 * kernel refuses the rule when the object does not exist (nfacct_mt_checkentry: -ENOENT).
 *
 * - With `nfacct list` of the host (--nfacct): a missing object is an error; a quota counted in
 *   bytes becomes a named quota `over Q bytes used B bytes` (nfacct is over once bytes > Q, this
 *   packet included; nft_quota since Linux 6.x breaks while consumed <= Q: the same), provided one
 *   table uses it (nfacct objects are global, nft objects per table). Packet quotas have no nft
 *   form (nft quotas count bytes).
 * - Without it: the object is assumed to have no quota (as `nfacct add NAME` creates it, e.g.
 *   kube-proxy's), with one `assumed_host_state` warning per object.
 * Objects used from several tables become one counter per table: fates agree, counts split.
 * With --counters and --nfacct, the first table's counter starts at the listed counts.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import { span, type Span } from "../ir/span.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";
import { isSafeChainName, safeChainName } from "./strings.js";

export function lowerNfacct(ctx: RuleCtx, m: ipt.NfacctMatch): MatchOut {
	const catalogue = ctx.plan.nfacct;
	const obj = catalogue?.objects.get(m.name);
	if (catalogue !== undefined && obj === undefined) {
		ctx.diags.push(
			diagnostic(
				"host_object_missing",
				`nfacct object ${JSON.stringify(m.name)} does not exist on the host; the kernel refuses this rule`,
				wordSpan(ctx.rule, m.name, "--nfacct-name"),
				"create it first (`nfacct add NAME`) and list it again, or remove the match",
			),
		);
		return undefined;
	}
	const quota = obj?.quota;
	if (quota !== undefined) {
		if (quota.mode === "packets")
			return refuse(ctx, "inexpressible", `nfacct object ${JSON.stringify(m.name)} has a quota of ${quota.limit} packets; nft quotas count bytes only`, "re-create the object with a byte quota (`nfacct add NAME byte N`)");
		const tables = ctx.plan.nfacctUse.get(m.name);
		if (tables !== undefined && tables.size > 1)
			return refuse(ctx, "inexpressible", `nfacct object ${JSON.stringify(m.name)} has a quota and is used by ${[...tables].sort().join(", ")}; an nft quota belongs to one table`, "use the quota from one table only");
	}
	const stem = objectStem(m.name);
	const key = `nfacct/${m.name}`;
	if (quota !== undefined) {
		const used = obj!.bytes;
		const n = ctx.sets.object(key, stem, (n) => ({ kind: "quota", name: n, bytes: quota.limit, used, over: true, origins: [ctx.rule.span] }));
		noteRenamed(ctx, m.name, n);
		return one({ kind: "objref", type: "quota", name: n });
	}
	// With --counters the object keeps the counts `nfacct list` showed (in the first table using it).
	const counts = ctx.plan.keepCounters && obj !== undefined && firstTable(ctx, m.name) ? { packets: obj.pkts, bytes: obj.bytes } : {};
	const n = ctx.sets.object(key, stem, (n) => ({ kind: "counter", name: n, ...counts, origins: [ctx.rule.span] }));
	noteRenamed(ctx, m.name, n);
	if (catalogue === undefined && !ctx.plan.nfacctWarned.has(`assumed\0${m.name}`)) {
		ctx.plan.nfacctWarned.add(`assumed\0${m.name}`);
		ctx.diags.push(
			diagnostic(
				"assumed_host_state",
				`nfacct object ${JSON.stringify(m.name)} is assumed to have no quota (as \`nfacct add NAME\` creates it); with a quota the match would be false until it is exceeded`,
				wordSpan(ctx.rule, m.name, "--nfacct-name"),
				"pass the host's `nfacct list` output with --nfacct FILE to check",
			),
		);
	}
	return one({ kind: "objref", type: "counter", name: n });
}

/** Whether the rule's table is the first (in input order) that uses the object. */
function firstTable(ctx: RuleCtx, name: string): boolean {
	const first = ctx.plan.nfacctUse.get(name)?.values().next().value;
	return first === undefined || first === `${ctx.fam === 4 ? "ip" : "ip6"} ${ctx.table}`;
}

/** The object's name in nft: the nfacct name when nft can spell it unquoted, else a close spelling. */
function objectStem(name: string): string {
	return isSafeChainName(name) ? name : safeChainName(name);
}

/** Reports, once per object, that nft knows it under another name. */
function noteRenamed(ctx: RuleCtx, name: string, written: string): void {
	if (written === name || ctx.plan.nfacctWarned.has(`renamed\0${name}`)) return;
	ctx.plan.nfacctWarned.add(`renamed\0${name}`);
	const why = isSafeChainName(name) ? "another nfacct object is already spelled so" : "nft cannot spell the original name";
	ctx.diags.push(diagnostic("renamed_object", `nfacct object ${JSON.stringify(name)} is written as ${written} (${why})`, ctx.rule.span));
}

/**
 * The span of `word` after `option` in the rule's line, when the rule's span covers its text
 * exactly (so offsets agree); else the rule's span. Diagnostics then point at the name itself.
 */
export function wordSpan(rule: ipt.Rule, word: string, option: string): Span {
	const s = rule.span;
	if (s.length !== rule.text.length) return s;
	const at = rule.text.indexOf(option);
	if (at < 0) return s;
	const rest = rule.text.slice(at + option.length);
	const m = /^\s+(["']?)/.exec(rest);
	if (m === null) return s;
	const start = at + option.length + m[0].length;
	if (!rule.text.startsWith(word, start)) return s;
	return span(s.file, s.line, s.col + start, word.length);
}
