/**
 * -m sctp: ports and --chunk-types {all|any|only} TYPE[:FLAGS],…; needs -p sctp (xt_sctp is bound
 * to the protocol). Flag letters: upper case = set, lower case = clear (libxt_sctp).
 */
import type { Neg, PortRange, SctpChunk, SctpMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { portOptions, requireProto } from "./tcp.js";

/** iptables' chunk names -> type numbers, and the flag letters each type knows (bit 0 first). */
export const SCTP_CHUNKS: Readonly<Record<string, { readonly type: number; readonly flags: string }>> = {
	DATA: { type: 0, flags: "EBUI" },
	INIT: { type: 1, flags: "" },
	INIT_ACK: { type: 2, flags: "" },
	SACK: { type: 3, flags: "" },
	HEARTBEAT: { type: 4, flags: "" },
	HEARTBEAT_ACK: { type: 5, flags: "" },
	ABORT: { type: 6, flags: "T" },
	SHUTDOWN: { type: 7, flags: "" },
	SHUTDOWN_ACK: { type: 8, flags: "" },
	ERROR: { type: 9, flags: "" },
	COOKIE_ECHO: { type: 10, flags: "" },
	COOKIE_ACK: { type: 11, flags: "" },
	ECN_ECNE: { type: 12, flags: "" },
	ECN_CWR: { type: 13, flags: "" },
	SHUTDOWN_COMPLETE: { type: 14, flags: "T" },
	I_DATA: { type: 64, flags: "EBUI" },
	RE_CONFIG: { type: 130, flags: "" },
	PAD: { type: 132, flags: "" },
	ASCONF: { type: 193, flags: "" },
	ASCONF_ACK: { type: 128, flags: "" },
	FORWARD_TSN: { type: 192, flags: "" },
	I_FORWARD_TSN: { type: 194, flags: "" },
};

interface S {
	sport?: Neg<PortRange>;
	dport?: Neg<PortRange>;
	chunks?: SctpMatch["chunks"];
}

export const sctp = defineMatch<S>({
	name: "sctp",
	options: [
		...portOptions<S>(),
		{
			name: "chunk-types",
			arity: 2,
			negatable: true,
			apply: (s, v, cx) => {
				const modeW = v.args[0]!;
				const mode = modeW.text;
				if (mode !== "all" && mode !== "any" && mode !== "only")
					return cx.error("invalid_value", `invalid chunk match mode "${mode}"`, modeW, "use all, any or only");
				const list: SctpChunk[] = [];
				const listW = v.args[1]!;
				for (const item of listW.text.split(",")) {
					const [name = "", flags] = item.split(":");
					const u = name.toUpperCase();
					if (u === "ALL" || u === "NONE") {
						// ALL / NONE stand for every chunk type / no type (libxt_sctp).
						if (u === "ALL") for (const c of Object.values(SCTP_CHUNKS)) list.push({ type: c.type });
						continue;
					}
					const def = Object.prototype.hasOwnProperty.call(SCTP_CHUNKS, u) ? SCTP_CHUNKS[u] : undefined;
					if (def === undefined) return cx.error("invalid_value", `unknown SCTP chunk type "${name}"`, listW);
					if (flags === undefined) {
						list.push({ type: def.type });
						continue;
					}
					let value = 0;
					let mask = 0;
					for (const ch of flags) {
						const bit = def.flags.indexOf(ch.toUpperCase());
						if (bit < 0) return cx.error("invalid_value", `chunk ${u} has no flag "${ch}"`, listW);
						mask |= 1 << bit;
						if (ch === ch.toUpperCase()) value |= 1 << bit;
					}
					list.push({ type: def.type, flags: { value, mask } });
				}
				s.chunks = { value: { mode, list }, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (!requireProto(cx, 132, "sctp")) return undefined;
		const m: { -readonly [K in keyof SctpMatch]: SctpMatch[K] } = { kind: "sctp" };
		if (s.sport) m.sport = s.sport;
		if (s.dport) m.dport = s.dport;
		if (s.chunks) m.chunks = s.chunks;
		return m;
	},
});
