/**
 * -m hbh / dst / mh / ipcomp / tcpmss / ipv6header: the IR node a valid rule gives (options, names, ranges,
 * negation) and the code an invalid one gives (as libip6t_hbh, libip6t_mh, libxt_ipcomp,
 * libxt_tcpmss and the kernel's protocol binding refuse them).
 */
import { describe, expect, it } from "vitest";
import type { Family, Match } from "../../../compiler/ir/ipt.js";
import { errorCodes, parseRule } from "./helpers.js";

const P = (lo: number, hi = lo) => ({ lo, hi });

const OK: readonly { readonly spec: string; readonly family?: Family; readonly match: Match }[] = [
	// hbh / dst
	{ spec: "-m hbh", family: "ip6", match: { kind: "hbh" } },
	{ spec: "-m hbh --hbh-len 16", family: "ip6", match: { kind: "hbh", len: { value: 16, neg: false } } },
	{ spec: "-m hbh ! --hbh-len 22", family: "ip6", match: { kind: "hbh", len: { value: 22, neg: true } } },
	{
		spec: "-m hbh --hbh-len 42 --hbh-opts 1:2,23:42,4:6,8:10,42,23,4:5",
		family: "ip6",
		match: { kind: "hbh", len: { value: 42, neg: false }, opts: [{ type: 1, len: 2 }, { type: 23, len: 42 }, { type: 4, len: 6 }, { type: 8, len: 10 }, { type: 42 }, { type: 23 }, { type: 4, len: 5 }] },
	},
	// strtoul numbers truncated to 8 bits; an explicit length 255 is iptables' "any length".
	{ spec: "-m hbh --hbh-opts 0x101:0x10,5:255,0", family: "ip6", match: { kind: "hbh", opts: [{ type: 1, len: 16 }, { type: 5 }, { type: 0 }] } },
	{ spec: "-m dst --dst-len 0", family: "ip6", match: { kind: "dst", len: { value: 0, neg: false } } },
	{ spec: "-m dst --dst-opts 149:92,12:12,123:12", family: "ip6", match: { kind: "dst", opts: [{ type: 149, len: 92 }, { type: 12, len: 12 }, { type: 123, len: 12 }] } },
	// mh: numbers, names (prefix, aliases), open ranges; -p mh loads mh by itself
	{ spec: "-p mh --mh-type 1", family: "ip6", match: { kind: "mh", type: { value: P(1), neg: false } } },
	{ spec: "-p mobility-header -m mh ! --mh-type 4", family: "ip6", match: { kind: "mh", type: { value: P(4), neg: true } } },
	{ spec: "-p ipv6-mh -m mh --mh-type binding-update:be", family: "ip6", match: { kind: "mh", type: { value: P(5, 7), neg: false } } },
	{ spec: "-p mh -m mh --mh-type Home-Test", family: "ip6", match: { kind: "mh", type: { value: P(3), neg: false } } },
	{ spec: "-p mh -m mh --mh-type binding", family: "ip6", match: { kind: "mh", type: { value: P(0), neg: false } } },
	{ spec: "-p mh -m mh --mh-type :3", family: "ip6", match: { kind: "mh", type: { value: P(0, 3), neg: false } } },
	{ spec: "-p mh -m mh ! --mh-type :", family: "ip6", match: { kind: "mh", type: { value: P(0, 255), neg: true } } },
	{ spec: "-p mh -m mh", family: "ip6", match: { kind: "mh" } },
	// ipcomp
	{ spec: "-p ipcomp -m ipcomp --ipcompspi 0x12", match: { kind: "ipcomp", spi: { value: P(18), neg: false } } },
	{ spec: "-p ipcomp -m ipcomp ! --ipcompspi 4:", match: { kind: "ipcomp", spi: { value: P(4, 0xffffffff), neg: true } } },
	{ spec: "-p 108 -m ipcomp --compres", family: "ip6", match: { kind: "ipcomp", reserved: true } },
	{ spec: "-p ipcomp --ipcompspi 7", match: { kind: "ipcomp", spi: { value: P(7), neg: false } } },
	// tcpmss
	{ spec: "-p tcp -m tcpmss --mss 42", match: { kind: "tcpmss", mss: { value: P(42), neg: false } } },
	{ spec: "-p tcp -m tcpmss ! --mss 1461:", match: { kind: "tcpmss", mss: { value: P(1461, 65535), neg: true } } },
	{ spec: "-p tcp -m tcpmss --mss :", family: "ip6", match: { kind: "tcpmss", mss: { value: P(0, 65535), neg: false } } },
	// ipv6header: names, numbers, /etc/protocols names; bits as the kernel's MASK_*
	{ spec: "-m ipv6header --header hop-by-hop", family: "ip6", match: { kind: "ipv6header", headers: 0x80, neg: false, soft: false } },
	{ spec: "-m ipv6header --header ipv6-route,44,dst --soft", family: "ip6", match: { kind: "ipv6header", headers: 0x20 | 0x10 | 0x40, neg: false, soft: true } },
	{ spec: "-m ipv6header ! --header ipv6-nonxt,prot,esp,auth --soft", family: "ip6", match: { kind: "ipv6header", headers: 0x02 | 0x01 | 0x04 | 0x08, neg: true, soft: true } },
];

const BAD: readonly { readonly spec: string; readonly family?: Family; readonly code: string }[] = [
	{ spec: "-m hbh --hbh-len 22", family: "ip", code: "family_mismatch" },
	{ spec: "-m hbh --hbh-opts 0:2", family: "ip6", code: "invalid_value" },
	{ spec: "-m hbh --hbh-opts 1,,2", family: "ip6", code: "invalid_value" },
	{ spec: "-m hbh --hbh-opts 1:x", family: "ip6", code: "invalid_value" },
	{ spec: `-m hbh --hbh-opts ${Array.from({ length: 17 }, (_, i) => i + 1).join(",")}`, family: "ip6", code: "invalid_value" },
	{ spec: `-m hbh --hbh-opts ${Array.from({ length: 15 }, (_, i) => i + 1).join(",")},16:2`, family: "ip6", code: "invalid_value" },
	{ spec: "-m hbh ! --hbh-opts 1", family: "ip6", code: "negation_not_allowed" },
	{ spec: "-m dst --dst-len -1", family: "ip6", code: "invalid_value" },
	{ spec: "-m hbh --hbh-len 8 --hbh-len 16", family: "ip6", code: "duplicate_option" },
	{ spec: "-m mh", family: "ip6", code: "protocol_required" },
	{ spec: "-m mh --mh-type 0:255", family: "ip6", code: "protocol_required" },
	{ spec: "-p mh -m mh --mh-type 4:3", family: "ip6", code: "invalid_value" },
	{ spec: "-p mh -m mh --mh-type 256", family: "ip6", code: "invalid_value" },
	{ spec: "-p mh -m mh --mh-type nosuchtype", family: "ip6", code: "invalid_value" },
	{ spec: "-p mh --mh-type 1", family: "ip", code: "family_mismatch" },
	{ spec: "-m ipcomp --ipcompspi 0x12", code: "protocol_required" },
	{ spec: "! -p ipcomp -m ipcomp --ipcompspi 1", code: "protocol_required" },
	{ spec: "-p ipcomp -m ipcomp --ipcompspi 4:3", code: "invalid_value" },
	{ spec: "-m tcpmss --mss 42", code: "protocol_required" },
	{ spec: "-p tcp -m tcpmss", code: "missing_argument" },
	{ spec: "-p tcp -m tcpmss --mss 42:65536", code: "invalid_value" },
	{ spec: "-p tcp -m tcpmss --mss 65535:1000", code: "invalid_value" },
	{ spec: "-m ipv6header --soft", family: "ip6", code: "missing_argument" },
	{ spec: "-m ipv6header --header proto", family: "ip6", code: "invalid_value" },
	{ spec: "-m ipv6header --header tcp", family: "ip6", code: "invalid_value" },
	{ spec: "-m ipv6header --header hop --header dst", family: "ip6", code: "duplicate_option" },
	{ spec: "-m ipv6header --header hop", family: "ip", code: "family_mismatch" },
];

describe("hbh / dst / mh / ipcomp / tcpmss: valid rules", () => {
	for (const c of OK) {
		it(`${c.family ?? "ip"}: ${c.spec}`, () => {
			const r = parseRule(c.spec, { family: c.family ?? "ip" });
			expect(errorCodes(r.diagnostics)).toEqual([]);
			expect(r.rules[0]?.matches).toContainEqual(c.match);
		});
	}
});

describe("hbh / dst / mh / ipcomp / tcpmss: refused rules", () => {
	for (const c of BAD) {
		it(`${c.family ?? "ip"}: ${c.spec}`, () => {
			const r = parseRule(c.spec, { family: c.family ?? "ip" });
			expect(errorCodes(r.diagnostics)).toContain(c.code);
		});
	}
});
