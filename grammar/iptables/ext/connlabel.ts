/**
 * -m connlabel [!] --label BIT|NAME [--set]. Names come from the host's connlabel.conf
 * (/etc/xtables/connlabel.conf, else /etc/connlabel.conf: lines "BIT NAME"), read once.
 */
import { readFileSync } from "node:fs";
import { defineMatch } from "../extension.js";
import { parseUint } from "../values.js";

interface S {
	bit?: number;
	neg: boolean;
	set: boolean;
}

/** XT_CONNLABEL_MAXBIT: the kernel keeps 128 label bits per connection. */
const MAX_BIT = 127;
export const CONNLABEL_FILES = ["/etc/xtables/connlabel.conf", "/etc/connlabel.conf"];

let labelMap: { readonly path: string; readonly names: ReadonlyMap<string, number> } | null | undefined;

/** NAME -> bit from the first connlabel.conf that exists; null when none does. */
function labels(): { readonly path: string; readonly names: ReadonlyMap<string, number> } | null {
	if (labelMap !== undefined) return labelMap;
	labelMap = null;
	for (const path of CONNLABEL_FILES) {
		let text: string;
		try {
			text = readFileSync(path, "utf8");
		} catch {
			continue;
		}
		labelMap = { path, names: parseConnlabelConf(text) };
		break;
	}
	return labelMap;
}

/** libnetfilter_conntrack's format: `BIT NAME` per line, `#` comments; the first name for a bit wins. */
export function parseConnlabelConf(text: string): Map<string, number> {
	const names = new Map<string, number>();
	for (const raw of text.split("\n")) {
		const line = raw.replace(/#.*/, "").trim();
		const m = /^(\d+)\s+(\S+)/.exec(line);
		if (m === null) continue;
		const bit = Number(m[1]);
		if (bit <= MAX_BIT && !names.has(m[2]!)) names.set(m[2]!, bit);
	}
	return names;
}

export const connlabel = defineMatch<S>({
	name: "connlabel",
	options: [
		{
			name: "label",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const w = v.args[0]!;
				s.neg = v.neg;
				// libxt_connlabel: a number (strtoul, base 0) first, else a name of connlabel.conf.
				const n = parseUint(w.text, Number.MAX_SAFE_INTEGER);
				if (n !== undefined) {
					if (n > MAX_BIT) cx.error("invalid_value", `invalid label ${w.text}: the kernel keeps bits 0..${MAX_BIT}`, w);
					else s.bit = n;
					return;
				}
				const map = labels();
				const bit = map?.names.get(w.text);
				if (bit !== undefined) s.bit = bit;
				else if (map === null)
					cx.error("invalid_value", `label "${w.text}" is not a number and there is no connlabel.conf`, w, `give the label's bit number (0..${MAX_BIT}), or install ${CONNLABEL_FILES[0]}`);
				else cx.error("invalid_value", `label "${w.text}" is not in ${map.path}`, w, `give the label's bit number (0..${MAX_BIT})`);
			},
		},
		{ name: "set", arity: 0, apply: (s) => void (s.set = true) },
	],
	init: () => ({ neg: false, set: false }),
	finish: (s, cx) => {
		if (s.bit === undefined) {
			cx.error("missing_argument", "-m connlabel needs --label", cx.nameWord);
			return undefined;
		}
		return { kind: "connlabel", bit: s.bit, neg: s.neg, set: s.set };
	},
});
