/**
 * -m ah / -m esp: the SPI. iptables' ah and esp need `-p ah` / `-p esp` (the kernel match is bound to
 * the protocol); ip6tables' ah walks the extension headers instead and also has --ahlen/--ahres.
 */
import type { SpiMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, type OptionDef } from "../extension.js";
import { u32Range, uint } from "./u32.js";

type S = { -readonly [K in keyof Omit<SpiMatch, "kind">]?: SpiMatch[K] };

const spiOpt = (name: string): OptionDef<S> => ({
	name,
	arity: 1,
	negatable: true,
	apply: (s, v, cx) => {
		const r = u32Range(cx, v.args[0]!, "SPI");
		if (r !== undefined) s.spi = { value: r, neg: v.neg };
	},
});

export const esp = defineMatch<S>({
	name: "esp",
	options: [spiOpt("espspi")],
	init: () => ({}),
	finish: (s, cx) => {
		if (cx.proto !== 50 || cx.protoNeg) {
			cx.error("protocol_required", "-m esp needs -p esp", cx.nameWord, "add -p esp to the rule");
			return undefined;
		}
		return { kind: "esp", ...s };
	},
});

export const ah = defineMatch<S>({
	name: "ah",
	options: [
		spiOpt("ahspi"),
		{
			name: "ahlen",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				if (cx.family !== "ip6") return cx.error("family_mismatch", "--ahlen exists only in ip6tables", v.word);
				const n = uint(cx, v.args[0]!, 0xffffffff, "AH length");
				if (n !== undefined) s.len = { value: n, neg: v.neg };
			},
		},
		{
			name: "ahres",
			arity: 0,
			apply: (s, v, cx) => {
				if (cx.family !== "ip6") return cx.error("family_mismatch", "--ahres exists only in ip6tables", v.word);
				s.reserved = true;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (cx.family === "ip" && (cx.proto !== 51 || cx.protoNeg)) {
			cx.error("protocol_required", "-m ah needs -p ah", cx.nameWord, "add -p ah to the rule");
			return undefined;
		}
		return { kind: "ah", ...s };
	},
});
