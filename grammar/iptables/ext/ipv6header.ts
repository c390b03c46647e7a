/**
 * -m ipv6header [!] --header LIST [--soft] (ip6tables): the kinds of header in the packet's
 * header chain. Names as libip6t_ipv6header takes them: its short and long names, /etc/protocols
 * names and the protocol numbers of the extension headers.
 */
import { IPV6HEADER_MASK as M, type Ipv6HeaderMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";

/** libip6t_ipv6header's own names (note: "prot"/"protocol", not "proto"), then /etc/protocols names and aliases. */
const NAMES: ReadonlyMap<string, number> = new Map([
	["hop-by-hop", M.hop], ["hop", M.hop], ["0", M.hop], ["hopopt", M.hop], ["HOPOPT", M.hop],
	["dst", M.dst], ["60", M.dst], ["ipv6-opts", M.dst], ["IPv6-Opts", M.dst],
	["route", M.route], ["43", M.route], ["ipv6-route", M.route], ["IPv6-Route", M.route],
	["frag", M.frag], ["44", M.frag], ["ipv6-frag", M.frag], ["IPv6-Frag", M.frag],
	["auth", M.auth], ["51", M.auth], ["ah", M.auth], ["IPSEC-AH", M.auth],
	["esp", M.esp], ["50", M.esp], ["IPSEC-ESP", M.esp],
	["none", M.none], ["59", M.none], ["ipv6-nonxt", M.none], ["IPv6-NoNxt", M.none],
	["protocol", M.proto], ["prot", M.proto], ["255", M.proto],
]);

interface S {
	headers?: number;
	neg?: boolean;
	soft?: boolean;
}

export const ipv6header = defineMatch<S>({
	name: "ipv6header",
	family: "ip6",
	options: [
		{
			name: "header",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const w = v.args[0]!;
				let bits = 0;
				for (const name of w.text.split(",")) {
					if (name === "") continue; // strtok skips empty fields
					const b = NAMES.get(name);
					if (b === undefined) return cx.error("invalid_value", `unknown header "${name}" in --header`, w, "names: hop,dst,route,frag,auth,esp,none,prot");
					bits |= b;
				}
				if (bits === 0) return cx.error("invalid_value", "--header names no header", w);
				s.headers = bits;
				s.neg = v.neg;
			},
		},
		{ name: "soft", arity: 0, apply: (s) => void (s.soft = true) },
	],
	init: () => ({}),
	finish: (s, cx): Ipv6HeaderMatch | undefined => {
		if (s.headers === undefined) {
			cx.error("missing_argument", "-m ipv6header needs --header", cx.nameWord);
			return undefined;
		}
		return { kind: "ipv6header", headers: s.headers, neg: s.neg ?? false, soft: s.soft ?? false };
	},
});
