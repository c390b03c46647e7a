/**
 * CONNMARK. set: ctmark' = (ctmark & ~mask) ^ value (like MARK). save/restore copy between the
 * packet mark and the conntrack mark; nft 1.0.6 can only combine a register with constants, so
 * the forms that mix both marks ((ctmark & ~ctmask) ^ (mark & nfmask) with a partial ctmask) are
 * refused with a hint.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { U32, type RuleCtx } from "./context.js";
import { xmarkSource } from "./mark-target.js";

type ConnmarkTarget = Extract<ipt.Target, { kind: "connmark-set" | "connmark-save" | "connmark-restore" }>;

const hex = (n: number): string => `0x${n.toString(16)}`;

function copy(to: "meta mark" | "ct mark", from: "meta mark" | "ct mark", mask: bigint): nft.Stmt {
	return {
		kind: "mark-set",
		target: to,
		value: mask === U32 ? { kind: "bitwise", src: from } : { kind: "bitwise", src: from, and: mask },
	};
}

export function lowerConnmarkTarget(ctx: RuleCtx, t: ConnmarkTarget): nft.Stmt[] | undefined {
	switch (t.kind) {
		case "connmark-set":
			return [{ kind: "mark-set", target: "ct mark", value: xmarkSource("ct mark", t.value, t.mask) }];
		case "connmark-save": {
			const ct = BigInt(t.ctmask);
			const nf = BigInt(t.nfmask);
			if (ct === U32) return [copy("ct mark", "meta mark", nf)];
			if (nf === 0n) return [{ kind: "mark-set", target: "ct mark", value: { kind: "bitwise", src: "ct mark", and: ~ct & U32 } }];
			break;
		}
		case "connmark-restore": {
			const ct = BigInt(t.ctmask);
			const nf = BigInt(t.nfmask);
			if (nf === U32) return [copy("meta mark", "ct mark", ct)];
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
