/**
 * -m cgroup --cgroup CLASSID -> `meta cgroup` (net_cls classid). --path (cgroup v2) needs
 * `socket cgroupv2 level N "path"`, which depends on the host's cgroup tree: refused.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerCgroup(ctx: RuleCtx, m: ipt.CgroupMatch): MatchOut {
	if (m.classid === undefined) return refuse(ctx, "unsupported_option", "cgroup --path cannot be translated without the host's cgroup tree", "write `socket cgroupv2 level N \"PATH\"` by hand");
	return one(nft.rel(nft.meta("cgroup"), negOp(m.classid.neg), nft.num(m.classid.value)));
}
