/** Dispatch over every ipt target kind (exhaustive). */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { assertNever } from "../ir/span.js";
import { lowerConnmarkTarget } from "./connmark-target.js";
import type { RuleCtx } from "./context.js";
import { lowerSetTarget } from "./ipset.js";
import { lowerSynproxy } from "./synproxy.js";
import { lowerLog } from "./log.js";
import { lowerMarkTarget } from "./mark-target.js";
import { lowerNat } from "./nat.js";
import { lowerNflog } from "./nflog.js";
import { lowerNfqueue } from "./nfqueue.js";
import { lowerNotrack } from "./notrack.js";
import { lowerReject } from "./reject.js";
import { lowerTcpmss } from "./tcpmss.js";
import { lowerVerdict } from "./verdicts.js";
import { lowerChecksum } from "./checksum.js";
import { lowerAudit, lowerClassify } from "./classify.js";
import { lowerCtTarget } from "./ct-target.js";
import { lowerDscpTarget, lowerTosTarget } from "./dscp-target.js";
import { lowerHlTarget } from "./hl-target.js";
import { lowerTproxy } from "./tproxy.js";
import { lowerHmark } from "./hmark.js";
import { lowerConnsecmark, lowerSecmark } from "./secmark.js";
import { lowerNetmap } from "./netmap.js";
import { lowerTcpoptstrip } from "./tcpoptstrip.js";
import { lowerTee } from "./tee.js";
import { lowerTrace } from "./trace.js";

export interface TargetOut {
	/** Conditions the target needs in front of it (rare: TCPMSS's guard). */
	readonly conds: readonly nft.Cond[];
	readonly stmts: readonly nft.Stmt[];
	/** Statements of a second rule with the same conditions (TPROXY: drop when no socket). */
	readonly fallback?: readonly nft.Stmt[];
	/** The rule is translated to nothing on purpose (CHECKSUM; a warning says so). */
	readonly omit?: boolean;
	/** The rule does nothing here; keep it only when it carries counters (CT --helper in raw). */
	readonly countOnly?: boolean;
}

const just = (stmts: nft.Stmt[] | undefined): TargetOut | undefined => (stmts === undefined ? undefined : { conds: [], stmts });

export function lowerTarget(ctx: RuleCtx, t: ipt.Target): TargetOut | undefined {
	switch (t.kind) {
		case "accept":
		case "drop":
		case "return":
		case "jump":
		case "goto":
			return just(lowerVerdict(ctx, t));
		case "reject":
			return just(lowerReject(ctx, t));
		case "log":
			return just(lowerLog(ctx, t));
		case "nflog":
			return just(lowerNflog(ctx, t));
		case "dnat":
		case "snat":
		case "masquerade":
		case "redirect":
			return just(lowerNat(ctx, t));
		case "mark":
			return just(lowerMarkTarget(t));
		case "connmark-set":
		case "connmark-save":
		case "connmark-restore":
			return just(lowerConnmarkTarget(ctx, t));
		case "notrack":
			return just(lowerNotrack());
		case "tcpmss":
			return lowerTcpmss(ctx, t);
		case "nfqueue":
			return just(lowerNfqueue(t));
		case "hl-set":
			return just(lowerHlTarget(ctx, t));
		case "ct":
			return lowerCtTarget(ctx, t);
		case "checksum-fill":
			return { conds: [], stmts: lowerChecksum(ctx), omit: true };
		case "dscp-set":
			return just(lowerDscpTarget(ctx, t));
		case "tos-set":
			return just(lowerTosTarget(ctx, t));
		case "tproxy":
			return { conds: [], ...lowerTproxy(ctx, t) };
		case "classify":
			return just(lowerClassify(t));
		case "audit":
			return just(lowerAudit());
		case "ipset": {
			const conds = lowerSetTarget(ctx, t);
			return conds === undefined ? undefined : { conds, stmts: [] };
		}
		case "synproxy":
			return lowerSynproxy(ctx, t);
		case "netmap":
			return just(lowerNetmap(ctx, t));
		case "tcpoptstrip":
			return just(lowerTcpoptstrip(ctx, t));
		case "hmark":
			return just(lowerHmark(ctx, t));
		case "secmark":
			return just(lowerSecmark(ctx, t));
		case "connsecmark":
			return just(lowerConnsecmark(t));
		case "tee":
			return just(lowerTee(ctx, t));
		case "trace":
			return just(lowerTrace());
		case "unknown":
			ctx.diags.push(diagnostic("unsupported_extension", `target ${t.name} is not translated`, ctx.rule.span));
			return undefined;
		default:
			return assertNever(t, "target");
	}
}
