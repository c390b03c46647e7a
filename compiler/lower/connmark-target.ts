/**
 * CONNMARK. set: ctmark' = (ctmark & ~mask) ^ value (like MARK). save/restore copy between the
 * packet mark and the conntrack mark; nft 1.0.6 can only combine a register with constants, so
 * the forms that mix both marks ((ctmark & ~ctmask) ^ (mark & nfmask) with a partial ctmask) are
 * refused with a hint. Revision 2's --left-shift-mark / --right-shift-mark N shift the computed
 * value (set: the whole new ctmark; save/restore: the copied, masked part) by N < 32 bits, which
 * nft's bitwise shift computes the same way on the 32-bit register.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { U32, type RuleCtx } from "./context.js";
import { xmarkSource } from "./mark-target.js";

type ConnmarkTarget = Extract<ipt.Target, { kind: "connmark-set" | "connmark-save" | "connmark-restore" }>;

const hex = (n: number): string => `0x${n.toString(16)}`;

function copySource(from: "meta mark" | "ct mark", mask: bigint): nft.MarkSource {
	return mask === U32 ? { kind: "bitwise", src: from } : { kind: "bitwise", src: from, and: mask };
}

function copy(to: "meta mark" | "ct mark", from: "meta mark" | "ct mark", mask: bigint): Extract<nft.Stmt, { kind: "mark-set" }> {
	return { kind: "mark-set", target: to, value: copySource(from, mask) };
}

type Shift = NonNullable<Extract<nft.MarkSource, { kind: "bitwise" }>["shift"]>;

/** The value shifted as connmark_tg_shift does (u32: bits shifted out are lost). */
function shifted(v: nft.MarkSource, sh: Shift | undefined): nft.MarkSource {
	if (sh === undefined) return v;
	if (v.kind === "const") return { kind: "const", value: sh.op === "<<" ? (v.value << BigInt(sh.bits)) & U32 : v.value >> BigInt(sh.bits) };
	return { ...v, shift: sh };
}

export function lowerConnmarkTarget(ctx: RuleCtx, t: ConnmarkTarget): nft.Stmt[] | undefined {
	const s = t.shift;
	const sh: Shift | undefined = s === undefined ? undefined : { op: s.dir === "left" ? "<<" : ">>", bits: s.bits };
	switch (t.kind) {
		case "connmark-set":
			// xt_connmark shifts the whole new ctmark: ((ctmark & ~mask) ^ value) shifted.
			return [{ kind: "mark-set", target: "ct mark", value: shifted(xmarkSource("ct mark", t.value, t.mask), sh) }];
		case "connmark-save": {
			const ct = BigInt(t.ctmask);
			const nf = BigInt(t.nfmask);
			// Only (mark & nfmask) is shifted; a shifted 0 is 0.
			if (ct === U32) return [{ ...copy("ct mark", "meta mark", nf), value: shifted(copySource("meta mark", nf), sh) }];
			if (nf === 0n) return [{ kind: "mark-set", target: "ct mark", value: { kind: "bitwise", src: "ct mark", and: ~ct & U32 } }];
			break;
		}
		case "connmark-restore": {
			const ct = BigInt(t.ctmask);
			const nf = BigInt(t.nfmask);
			if (nf === U32) return [{ ...copy("meta mark", "ct mark", ct), value: shifted(copySource("ct mark", ct), sh) }];
			if (ct === 0n) return [{ kind: "mark-set", target: "meta mark", value: { kind: "bitwise", src: "meta mark", and: ~nf & U32 } }];
			break;
		}
	}
	ctx.diags.push(
		diagnostic(
			"unsupported_option",
			`CONNMARK ${t.kind === "connmark-save" ? "--save-mark" : "--restore-mark"} with nfmask ${hex(t.nfmask)} / ctmask ${hex(t.ctmask)} mixes both marks, which nft 1.0.6 cannot compute`,
			ctx.rule.span,
			"use masks of 0xffffffff, or keep the marks in separate bit ranges and copy whole marks",
		),
	);
	return undefined;
}
