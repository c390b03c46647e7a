/**
 * -m cluster --cluster-total-nodes N ([!] --cluster-local-node K | [!] --cluster-local-nodemask M)
 * --cluster-hash-seed S. Node K is mask bit K-1 (libxt_cluster), so both forms end as a mask.
 */
import { defineMatch } from "../extension.js";
import { uint } from "./u32.js";

/** XT_CLUSTER_NODES_MAX */
const NODES_MAX = 32;

interface S {
	total?: number;
	mask?: { value: number; neg: boolean; how: "node" | "nodemask" };
	seed?: number;
}

export const cluster = defineMatch<S>({
	name: "cluster",
	options: [
		{
			name: "cluster-total-nodes",
			arity: 1,
			apply: (s, v, cx) => {
				const n = uint(cx, v.args[0]!, NODES_MAX, "--cluster-total-nodes");
				if (n === 0) cx.error("invalid_value", "--cluster-total-nodes must be 1..32", v.args[0]!);
				else if (n !== undefined) s.total = n;
			},
		},
		{
			name: "cluster-local-node",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.mask !== undefined) return void cx.error("conflicting_options", "--cluster-local-node and --cluster-local-nodemask exclude each other", v.word);
				const n = uint(cx, v.args[0]!, NODES_MAX, "--cluster-local-node");
				if (n === 0) cx.error("invalid_value", "--cluster-local-node must be 1..32", v.args[0]!);
				else if (n !== undefined) s.mask = { value: 2 ** (n - 1), neg: v.neg, how: "node" };
			},
		},
		{
			name: "cluster-local-nodemask",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.mask !== undefined) return void cx.error("conflicting_options", "--cluster-local-node and --cluster-local-nodemask exclude each other", v.word);
				// libxt_cluster 1.8.9 takes only 1..32 here, yet iptables-save prints every mask
				// (0x00000040 for node 7): accept what the kernel accepts (checked in finish).
				const n = uint(cx, v.args[0]!, 0xffffffff, "--cluster-local-nodemask");
				if (n === 0) cx.error("invalid_value", "--cluster-local-nodemask must not be 0", v.args[0]!);
				else if (n !== undefined) s.mask = { value: n, neg: v.neg, how: "nodemask" };
			},
		},
		{
			name: "cluster-hash-seed",
			arity: 1,
			apply: (s, v, cx) => {
				const n = uint(cx, v.args[0]!, 0xffffffff, "--cluster-hash-seed");
				if (n !== undefined) s.seed = n;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.total === undefined || s.seed === undefined || s.mask === undefined) {
			const missing = [s.total === undefined ? "--cluster-total-nodes" : "", s.mask === undefined ? "--cluster-local-node or --cluster-local-nodemask" : "", s.seed === undefined ? "--cluster-hash-seed" : ""].filter((x) => x !== "");
			cx.error("missing_argument", `-m cluster needs ${missing.join(", ")}`, cx.nameWord);
			return undefined;
		}
		if (s.mask.value >= 2 ** s.total) {
			cx.error("invalid_value", s.mask.how === "node" ? "--cluster-local-node must be <= --cluster-total-nodes" : "--cluster-local-nodemask too big for --cluster-total-nodes", cx.nameWord);
			return undefined;
		}
		return { kind: "cluster", totalNodes: s.total, nodeMask: s.mask.value, seed: s.seed, neg: s.mask.neg };
	},
});
