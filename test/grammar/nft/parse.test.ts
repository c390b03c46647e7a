import { describe, expect, test } from "vitest";
import { parseNft } from "../../../grammar/nft/index.js";
import type { NftRule } from "../../../grammar/nft/ast.js";
import { nftCheck } from "../../helpers/nft-check.js";

/** A `nft list ruleset`-style file: what the real nft prints back. */
export const LISTED = `table inet filter {
	set allowed {
		type ipv4_addr . inet_service
		flags interval
		elements = { 10.0.0.0/8 . 22, 192.168.1.1 . 80-90,
			     172.16.0.1 . 443 }
	}

	map svc {
		type ipv4_addr . inet_proto . inet_service : verdict
		elements = { 10.96.0.1 . tcp . 443 : goto svc-a, 10.96.0.10 . udp . 53 : jump svc-b }
	}

	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ct state invalid drop
		iifname "lo" accept
		iifname "eth*" ip saddr . tcp dport @allowed counter packets 0 bytes 0 accept
		ip daddr . meta l4proto . th dport vmap @svc
		meta l4proto { tcp, udp } th dport 53 accept comment "dns"
		tcp flags & (fin | syn | rst | ack) == syn limit rate 10/second burst 5 packets accept
		icmp type echo-request accept
		ip6 nexthdr ipv6-icmp icmpv6 type { nd-neighbor-solicit, nd-router-advert } accept
		fib daddr type local tcp dport != { 22, 80 } reject with icmpx type admin-prohibited
		log prefix "drop: " level warn flags all
	}

	chain svc-a {
		numgen random mod 2 vmap { 0 : jump ep-1, 1 : jump ep-2 }
	}

	chain svc-b {
		meta mark set meta mark | 0x00004000
		return
	}

	chain ep-1 {
		ip saddr 10.244.0.5 meta mark set 0x4000
	}

	chain ep-2 {
		meta l4proto tcp accept
	}
}
table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat - 10; policy accept;
		iifname "eth0" tcp dport 8080 dnat to 10.0.0.5:80
		meta l4proto tcp dnat to ip daddr . tcp dport map { 1.2.3.4 . 80 : 10.0.0.6 . 8080 }
	}

	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth1" masquerade random,persistent
		ip saddr 10.0.0.0/24 snat to 1.2.3.4-1.2.3.8
	}
}
`;

function rules(text: string): readonly NftRule[] {
	const r = parseNft(text, "t.nft");
	expect(r.diagnostics).toEqual([]);
	return r.ast.tables.flatMap((t) => t.chains.flatMap((c) => c.rules));
}

const wrap = (rule: string): string => `table ip t {\n\tchain c {\n\t\t${rule}\n\t}\n}\n`;

describe("nft grammar: AST shape", () => {
	test("a list-ruleset file parses and nft itself accepts it", () => {
		const r = parseNft(LISTED, "listed.nft");
		expect(r.diagnostics).toEqual([]);
		const [inet, nat] = r.ast.tables;
		expect(inet?.family).toBe("inet");
		expect(inet?.chains.map((c) => c.name)).toEqual(["input", "svc-a", "svc-b", "ep-1", "ep-2"]);
		expect(inet?.chains[0]?.base).toEqual({ type: "filter", hook: "input", priority: 0, policy: "drop", devices: [] });
		expect(nat?.chains[0]?.base?.priority).toBe(-110);
		expect(inet?.sets.map((s) => [s.name, s.isMap, s.keyTypes, s.elems.length])).toEqual([
			["allowed", false, ["ipv4_addr", "inet_service"], 3],
			["svc", true, ["ipv4_addr", "inet_proto", "inet_service"], 2],
		]);
		expect(inet?.chains[0]?.rules[3]).toMatchObject({ text: 'iifname "eth*" ip saddr . tcp dport @allowed counter packets 0 bytes 0 accept', span: { file: "listed.nft", line: 19, col: 3 } });
		expect(nftCheck(LISTED)).toEqual({ ok: true, stderr: "" });
	});

	test("payload match with a prefix: decoded interval", () => {
		const [r] = rules(wrap("ip saddr 10.0.0.0/8 tcp dport 80-90 accept"));
		expect(r?.stmts).toMatchObject([
			{ kind: "match", left: { kind: "payload", proto: "ip", field: "saddr", dtype: "ipv4_addr", width: 32 }, op: "implicit", right: { kind: "value", lo: 0x0a000000n, hi: 0x0affffffn, form: "prefix" } },
			{ kind: "match", left: { kind: "payload", proto: "tcp", field: "dport" }, right: { kind: "value", lo: 80n, hi: 90n, form: "range" } },
			{ kind: "verdict", verdict: { kind: "accept" } },
		]);
	});

	test("flag lists, masks and negation", () => {
		const [a, b, c] = rules(wrap("ct state established,related accept\n\t\ttcp flags syn / syn,rst drop\n\t\tct status ! assured,confirmed"));
		expect(a?.stmts[0]).toMatchObject({ kind: "match", op: "implicit", right: { kind: "flags", bits: 6n } });
		expect(b?.stmts[0]).toMatchObject({ kind: "match", op: "==", left: { kind: "binop", op: "&", right: { kind: "const", value: 6n } }, right: { kind: "value", lo: 2n } });
		expect(c?.stmts[0]).toMatchObject({ op: "neg", right: { kind: "flags", bits: 12n } });
	});

	test("interface wildcard and escaped star", () => {
		const [a, b] = rules(wrap('iifname "eth*" accept\n\t\toifname "a\\*" accept'));
		expect(a?.stmts[0]).toMatchObject({ right: { form: "wildcard" } });
		expect(b?.stmts[0]).toMatchObject({ right: { form: "single" } });
	});

	test("statements", () => {
		const rs = rules(
			wrap(
				[
					'log prefix "x " level debug group 3',
					"limit rate over 5/minute burst 2 packets drop",
					"reject with icmpv6 type admin-prohibited",
					"queue num 1-3 bypass,fanout",
					"meta mark set mark and 0xffff0000 xor 0x1",
					"ct mark set meta mark",
					"tcp option maxseg size set rt mtu",
					"redirect to :8080",
					"dnat to [fec0::1]:80",
					"goto other",
				].join("\n\t\t"),
			).replace("}\n}", "}\n\tchain other {\n\t}\n}"),
		);
		expect(rs.map((r) => r.stmts[0]?.kind)).toEqual(["log", "limit", "reject", "queue", "set", "set", "tcpmss", "nat", "nat", "verdict"]);
		expect(rs[0]?.stmts[0]).toMatchObject({ prefix: "x ", level: 7, group: 3 });
		expect(rs[1]?.stmts[0]).toMatchObject({ over: true, rate: 5n, unit: "minute", burst: 2n });
		expect(rs[2]?.stmts[0]).toMatchObject({ with: { type: "icmpv6", code: 1 } });
		expect(rs[3]?.stmts[0]).toMatchObject({ numLo: 1, numHi: 3, bypass: true, fanout: true });
		expect(rs[4]?.stmts[0]).toMatchObject({ value: { kind: "binop", op: "^", left: { kind: "binop", op: "&" } } });
		expect(rs[8]?.stmts[0]).toMatchObject({ type: "dnat", fam: "ip6", addr: { lo: 0xfec00000000000000000000000000001n }, port: { lo: 80, hi: 80 } });
	});

	test("commands apply in order: add/insert rule, flush, delete, define", () => {
		const text = `define ports = { 22, 80 }
flush ruleset
table ip t {
	chain c {
		type filter hook input priority 0;
	}
}
add rule ip t c tcp dport $ports accept
insert rule ip t c drop
table ip gone
delete table ip gone
add chain ip t d { type filter hook output priority 0; policy drop; }
`;
		const r = parseNft(text, "cmd.nft");
		expect(r.diagnostics).toEqual([]);
		expect(r.ast.tables.map((t) => t.name)).toEqual(["t"]);
		expect(r.ast.tables[0]?.chains[0]?.rules.map((x) => x.text)).toEqual(["drop", "tcp dport $ports accept"]);
		expect(r.ast.tables[0]?.chains[0]?.rules[1]?.stmts[0]).toMatchObject({ right: { kind: "set" } });
		expect(r.ast.tables[0]?.chains[1]?.base?.policy).toBe("drop");
	});
});

describe("nft grammar: diagnostics with positions", () => {
	const codes = (text: string): string[] => parseNft(text, "e.nft").diagnostics.map((d) => `${d.code}@${d.span?.line}:${d.span?.col}`);

	test("syntax errors are coded and the parser goes on", () => {
		expect(codes(wrap("tcp dport foo accept\n\t\tip saddr 1.2.3.4 drop"))).toEqual(["nft_syntax_error@3:13"]);
		expect(codes(wrap("ip sadr 1.2.3.4"))).toEqual(["nft_syntax_error@3:6"]);
		expect(codes(wrap("ip saddr 1.2.3.4 frobnicate"))).toEqual(["nft_syntax_error@3:20"]);
		expect(codes(wrap("ip saddr"))).toEqual(["nft_syntax_error@3:11"]);
		expect(codes("table ip t {\n\tchain c {\n\t\ttype filter hook sideways priority 0;\n\t}\n}\n")).toEqual(["nft_syntax_error@3:20"]);
		expect(codes('table ip t {\n\tchain c {\n\t\tlog prefix "oops\n\t}\n}\n')).toContain("nft_syntax_error@3:14");
		expect(codes("table ip t {\n")).toEqual(["nft_syntax_error@1:13"]);
	});

	test("undefined references", () => {
		expect(codes(wrap("jump nowhere"))).toEqual(["nft_undefined@3:8"]);
		expect(codes(wrap("ip saddr @nope"))).toEqual(["nft_undefined@3:13"]);
		expect(codes("add rule ip t c accept\n")).toEqual(["nft_undefined@1:13"]);
		expect(codes(wrap("tcp dport $undefined"))).toContain("nft_undefined@3:13");
	});

	test("unsupported constructs are coded, not crashes", () => {
		expect(codes('include "/etc/x.nft"\n')).toEqual(["nft_unsupported@1:1"]);
		expect(codes(wrap('fwd to "eth0"'))).toEqual(["nft_unsupported@3:3"]);
		expect(codes(wrap('synproxy name "sp"'))).toEqual(["nft_unsupported@3:12"]);
		expect(codes(wrap("synproxy mss 1460 wscale 7 timestamp sack-perm"))).toEqual([]);
	});

	test("garbage never throws", () => {
		for (const junk of ["}", "{{{", "table", "table ip t { chain c { ip saddr { 1.2.3.4, } } }", "@@@ $$ ;;", "add rule", "\"", "table ip t { set s { type nope; } }"]) {
			const r = parseNft(junk, "junk.nft");
			expect(r.diagnostics.length).toBeGreaterThan(junk === "table ip t { chain c { ip saddr { 1.2.3.4, } } }" ? -1 : 0);
		}
	});
});
