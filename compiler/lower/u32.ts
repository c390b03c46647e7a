/**
 * -m u32 -> raw payload compares (`@nh,OFF,32 & MASK == { A-B, … }`).
 *
 * xt_u32 reads 4-byte big-endian words at offsets from the network header; a read past skb->len
 * fails the whole match (before `!` is applied). nft's payload expression BREAKs (rule does not
 * match) on a read past the end, so a fixed-offset 32-bit read fails on exactly the same packets.
 * The `&`, `<<`, `>>` chain on one word folds into one mask and one shift, and the shift moves
 * onto the compared ranges, so no shift expression is needed.
 *
 * `@` (pointer move) is dynamic; the one exact form is the IPv4 header skip `0>>22&0x3C@N…`
 * (at = IHL*4), which is nft's transport header base `@th` on every packet that is not a later
 * fragment. On a later fragment u32 reads the fragment's data, while `@th` breaks (nft_payload_eval)
 * or, for a 4-byte-aligned load on kernels whose fast path lacks that check (seen on 6.18), reads
 * the data too: nothing to rely on. So it translates only when later fragments cannot reach the
 * rule (conntrack defragments, or `! -f`). Behind it, the TCP data-offset skip
 * `12>>26&0x3C@N` is nft's inner header base `@ih` (thoff + doff*4) for TCP (`-p tcp`), except
 * that @ih also needs the whole 20-byte TCP header: data offsets d with 4d+N+4 < 20 (bogus, in a
 * truncated header) get their own rules reading at the fixed @th offset 4d+N. Everything else
 * (`@` elsewhere, `!` over a header-relative offset) is refused.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import type { Alts, MatchOut, RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

import { foldU32, maskedIntervals, type U32Fold } from "../ir/u32.js";

const F = 0xffffffffn;

/** The IPv4 header-length skip `0>>22&0x3C@` folded: value = (word0 >> 22) & 0x3C = IHL*4. */
function isIhlSkip(start: number, f: U32Fold | undefined): boolean {
	return start === 0 && f !== undefined && f.mask === 0x0f000000n && f.shift === -22;
}

/** The smallest skb->len a packet of the family can have at the hooks (a whole IP header). */
const MIN_LEN = { 4: 20, 6: 40 } as const;

/**
 * One test as nft conditions: `pos` (exclusive alternatives, [] = never) holds exactly when the
 * test holds; `neg` (exclusive alternatives) when it fails, undefined where nft cannot say.
 */
interface TestConds {
	readonly pos: Alts;
	readonly neg: Alts | undefined;
}

/** The TCP data-offset skip `12>>26&0x3C@` behind the header skip: at += doff*4. */
function isDoffSkip(n: number, f: U32Fold | undefined): boolean {
	return n === 12 && f !== undefined && f.mask === 0xf0000000n && f.shift === -26;
}

/** Most alternatives a u32 match may become (rule copies). */
const MAX_ALTS = 16;

function readCond(base: nft.RawBase, off: number, f: U32Fold, set: readonly { lo: bigint; hi: bigint }[], op: "==" | "!="): nft.Cond {
	const sel: nft.Selector = { kind: "raw", base, offset: off * 8, len: 32 };
	const left: nft.Expr = f.mask === F ? sel : { kind: "and", expr: sel, mask: f.mask };
	const vals = set.map((iv) => nft.range(iv.lo, iv.hi));
	const right: nft.Value = vals.length === 1 ? vals[0]! : { kind: "set", elems: vals };
	return nft.rel(left, op, right);
}

/** `@th,96,32 & 0xf0000000 OP d<<28`: the TCP data offset (the same word u32 reads for it). */
function doffCond(op: nft.RelOp, d: number): nft.Cond {
	return nft.rel({ kind: "and", expr: { kind: "raw", base: "th", offset: 96, len: 32 }, mask: 0xf0000000n }, op, nft.num(BigInt(d) << 28n));
}

/** Refuses `@` forms other than the IPv4 header skip and the TCP data-offset skip behind it. */
function refusePointer(ctx: RuleCtx, text: string): undefined {
	return refuse(
		ctx,
		"inexpressible",
		`-m u32 "${text}": the "@" pointer moves to an offset read from the packet; nft reads fixed offsets from a header base only`,
		"only the IPv4 header skip 0>>22&0x3C@N (nft @th) and the TCP data-offset skip 0>>22&0x3C@12>>26&0x3C@N (with -p tcp, nft @ih) translate; rewrite the test with fixed offsets",
	);
}

function lowerTest(ctx: RuleCtx, t: ipt.U32Test, text: string): TestConds | undefined {
	const ats = t.ops.flatMap((o, i) => (o.op === "@" ? [i] : []));
	let base: nft.RawBase = "nh";
	let off = t.start;
	let tail = t.ops;
	/** TCP data-offset skip: read the final word at th + doff*4 + off. */
	let doff = false;
	if (ats.length > 0) {
		const first = ats[0]!;
		if (ats.length > 2 || !isIhlSkip(t.start, foldU32(t.ops.slice(0, first)))) return refusePointer(ctx, text);
		if (ats.length === 2) {
			const second = ats[1]!;
			if (!isDoffSkip(t.ops[first]!.n, foldU32(t.ops.slice(first + 1, second)))) return refusePointer(ctx, text);
			if (ruleProtoOf(ctx) !== 6)
				return refuse(ctx, "inexpressible", `-m u32 "${text}": the data-offset skip reads any protocol's header as TCP; nft's inner header base (@ih) exists for TCP only as TCP`, "add -p tcp to the rule");
			doff = true;
		}
		if (ctx.fam !== 4) return refuse(ctx, "inexpressible", `-m u32 "${text}": 0>>22&0x3C@ reads the IPv4 header length, which an IPv6 header does not have`, "use fixed offsets from the IPv6 header");
		const frag = ctx.rule.fragment;
		const noLaterFragments = ctx.plan.defrag === true || (frag !== undefined && frag.neg);
		if (!noLaterFragments)
			return refuse(
				ctx,
				"inexpressible",
				`-m u32 "${text}": on a later IPv4 fragment u32 reads the fragment's data after the IP header, while nft's @th does not reliably (it breaks, or reads it only for aligned loads on some kernels)`,
				"add `! -f` to the rule (or use conntrack in the ruleset, which reassembles fragments) so that only whole packets and first fragments reach it",
			);
		base = "th";
		const last = ats[ats.length - 1]!;
		off = t.ops[last]!.n;
		tail = t.ops.slice(last + 1);
	}
	const f = foldU32(tail);
	if (f === undefined) return refuse(ctx, "inexpressible", `-m u32 "${text}": a shift by 32 or more is undefined in C (the kernel's result depends on the CPU)`, "shift by 0..31");
	// nft's payload offset is at most 65535 bytes; a read there is past every IP packet anyway.
	if (off > 0xffff - 4 - (doff ? 60 : 0)) return refuse(ctx, "inexpressible", `-m u32 "${text}": offset ${off} is beyond what nft's payload expression reads`, "remove the test (no IP packet is that long)");
	const set = maskedIntervals(f, t.ranges);
	const reaches = f.mask === 0n ? set.length > 0 && set[0]!.lo === 0n : set.length > 0;
	if (base === "th") {
		if (f.mask === 0n) return refuse(ctx, "inexpressible", `-m u32 "${text}": a test that only checks the packet is long enough behind the IPv4 header has no nft form`, "compare the value read with a mask that keeps some bits");
		if (!reaches) return { pos: [], neg: undefined };
		if (!doff) return { pos: [[readCond("th", off, f, set, "==")]], neg: undefined };
		// u32 reads at th + doff*4 + off once the data-offset word (th+12..15) is there; @ih also
		// needs the whole 20-byte TCP header. That differs only when doff*4 + off + 4 < 20 (a
		// bogus data offset in a truncated header): those data offsets read at fixed @th offsets.
		const dmin = Math.max(0, Math.ceil((16 - off) / 4));
		const pos: nft.Cond[][] = [[...(dmin > 0 ? [doffCond(">=", dmin)] : []), readCond("ih", off, f, set, "==")]];
		for (let d = 0; d < dmin; d++) pos.push([doffCond("==", d), readCond("th", 4 * d + off, f, set, "==")]);
		return { pos, neg: undefined };
	}
	const need = off + 4;
	const always = need <= MIN_LEN[ctx.fam];
	const short = nft.rel(nft.meta("length"), "<", nft.num(need));
	const long = nft.rel(nft.meta("length"), ">=", nft.num(need));
	if (f.mask === 0n) {
		// The value read is always 0: only the length decides.
		if (!reaches) return { pos: [], neg: [[]] };
		return { pos: [always ? [] : [long]], neg: always ? [] : [[short]] };
	}
	if (!reaches) return { pos: [], neg: [[]] };
	const neg: nft.Cond[][] = always ? [] : [[short]];
	neg.push([readCond("nh", off, f, set, "!=")]);
	return { pos: [[readCond("nh", off, f, set, "==")]], neg };
}

/** The rule's positive `-p`, if any. */
function ruleProtoOf(ctx: RuleCtx): number | undefined {
	const p = ctx.rule.proto;
	return p !== undefined && !p.neg ? p.value : undefined;
}

/** The test text as iptables-save prints it (hex), for messages. */
function testText(t: ipt.U32Test): string {
	const h = (n: number): string => `0x${n.toString(16)}`;
	const loc = [h(t.start), ...t.ops.map((o) => `${o.op}${h(o.n)}`)].join("");
	return `${loc}=${t.ranges.map((r) => (r.lo === r.hi ? h(r.lo) : `${h(r.lo)}:${h(r.hi)}`)).join(",")}`;
}

export function lowerU32(ctx: RuleCtx, m: ipt.U32Match): MatchOut {
	const conds: TestConds[] = [];
	for (const t of m.tests) {
		const c = lowerTest(ctx, t, testText(t));
		if (c === undefined) return undefined;
		conds.push(c);
	}
	if (!m.neg) {
		// All tests: the product of their exclusive alternatives (exclusive again).
		let alts: nft.Cond[][] = [[]];
		for (const c of conds) {
			alts = alts.flatMap((a) => c.pos.map((p) => [...a, ...p]));
			if (alts.length > MAX_ALTS) return refuse(ctx, "inexpressible", `-m u32: the tests need ${alts.length}+ nft rules to be exact`, "split the tests over several rules or chains");
		}
		return alts;
	}
	// !(T1 && … && Tn) = !T1 | (T1 && !T2) | … : mutually exclusive alternatives.
	const alts: nft.Cond[][] = [];
	const before: nft.Cond[] = [];
	for (const [i, c] of conds.entries()) {
		if (c.neg === undefined)
			return refuse(ctx, "inexpressible", `! -m u32 "${testText(m.tests[i]!)}": the negation must also match when the read behind the IPv4 header is beyond the packet, which nft cannot test for a header-relative offset`, "drop the `!` and invert the rule's action, or use fixed offsets");
		for (const a of c.neg) alts.push([...before, ...a]);
		// Fixed-offset tests have one alternative (or none: the test never holds).
		const p = c.pos[0];
		if (p === undefined) break;
		before.push(...p);
	}
	return alts;
}
