/**
 * Matches on what the host knows about the packet's devices, route, CPU and socket:
 * xt_devgroup (device groups of -i/-o devices), xt_realm (route realm), xt_cpu, xt_cgroup
 * (net_cls classid of the local socket).
 */
import type { CgroupMatch, CpuMatch, DevgroupMatch, RealmMatch, ValueMask } from "../../../ir/ipt.js";
import type { EvalContext } from "../../model.js";
import type { Compiled, MatchFn } from "../types.js";

/** The group of a device on the host (the kernel's dev->group; 0 when not set). */
export function deviceGroup(ctx: EvalContext, dev: string | undefined): number | undefined {
	if (dev === undefined) return undefined;
	for (const i of ctx.host.interfaces) if (i.name === dev) return i.group ?? 0;
	return 0;
}

const vm = (x: number, v: ValueMask): boolean => ((x & v.mask) >>> 0) === ((v.value & v.mask) >>> 0);

/**
 * xt_devgroup: a test on a device the packet does not have (no input device on OUTPUT) does not
 * match, negated or not.
 */
export function compileDevgroup(m: DevgroupMatch): MatchFn {
	const src = m.src;
	const dst = m.dst;
	return (pkt, ctx) => {
		if (src) {
			const g = deviceGroup(ctx, pkt.iif);
			if (g === undefined || vm(g, src.value) === src.neg) return false;
		}
		if (dst) {
			const g = deviceGroup(ctx, pkt.oif);
			if (g === undefined || vm(g, dst.value) === dst.neg) return false;
		}
		return true;
	};
}

/**
 * xt_realm: id == (dst->tclassid & mask), the id NOT masked (an id with bits outside the mask never
 * matches); valid only after routing (the kernel's hook mask).
 */
export function compileRealm(m: RealmMatch): MatchFn {
	const { value, mask } = m.realm.value;
	const neg = m.realm.neg;
	const id = value >>> 0;
	return (pkt) => (((pkt.realm ?? 0) & mask) >>> 0 === id) !== neg;
}

export function compileCpu(m: CpuMatch): MatchFn {
	const { value, neg } = m.cpu;
	return (pkt) => ((pkt.cpu ?? 0) === value) !== neg;
}

/** xt_cgroup revision 0 (--cgroup classid): no local full socket, no match (even negated). */
export function compileCgroup(m: CgroupMatch): Compiled {
	const c = m.classid;
	if (c === undefined) return { unsupported: "cgroup --path is not modelled by the simulator" };
	return (pkt) => pkt.uid !== undefined && ((pkt.cgroup ?? 0) === c.value) !== c.neg;
}
