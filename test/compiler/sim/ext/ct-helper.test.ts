/**
 * The simulator's model of conntrack helper assignment, on both sides: iptables' CT --helper
 * template (first CT/NOTRACK wins; only a new, non-expected connection takes it) and nft's
 * `ct helper set` (unconfirmed entry of the object's protocol, no helper yet). The connection's
 * own helper is part of every outcome, so a wrong helper, protocol, place or missing
 * `ct state new` verifies DIFFERENT; and the naive translations the lowering refuses differ too.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../../compiler/index.js";
import { verifyTexts } from "../../../../compiler/verify.js";
import { nftCheck } from "../../../helpers/nft-check.js";

function raw(rules: readonly string[], chains: readonly string[] = []): string {
	const decl = chains.map((c) => `:${c} - [0:0]\n`).join("");
	return `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${decl}${rules.join("\n")}\nCOMMIT\n`;
}

/** A raw table with the given raw-chain rules, helper objects and helper-chain rules. */
function nftRaw(opts: { pre?: string[]; objects: string[]; helper: string[]; prio?: number; hook?: "prerouting" | "output" }): string {
	const objs = opts.objects.map((o) => `\t${o}\n`).join("");
	const pre = (opts.pre ?? []).map((r) => `\t\t${r}\n`).join("");
	const hook = opts.hook ?? "prerouting";
	const helper = opts.helper.map((r) => `\t\t${r}\n`).join("");
	return (
		`table ip raw {\n${objs}` +
		`\tchain PREROUTING {\n\t\ttype filter hook prerouting priority raw; policy accept;\n${pre}\t}\n` +
		`\tchain OUTPUT {\n\t\ttype filter hook output priority raw; policy accept;\n\t}\n` +
		`\tchain ct_helper {\n\t\ttype filter hook ${hook} priority ${opts.prio ?? -199}; policy accept;\n${helper}\t}\n}\n`
	);
}

const FTP = 'ct helper ftp-tcp { type "ftp" protocol tcp; l3proto ip; }';

function verify(ipt: string, nft: string): boolean {
	const r = verifyTexts(ipt, nft, { oldFile: "t.rules", newFile: "t.nft", family: "ip", packets: 3000, conntrack: true });
	if (r.kind !== "done") throw new Error(r.diagnostics.map((d) => d.message).join("; "));
	return r.result.equal;
}

describe("CT --helper: translations verify equal", () => {
	const shapes: readonly { name: string; rules: string[]; chains?: string[] }[] = [
		{ name: "single rule", rules: ["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"] },
		{ name: "both hooks through one chain", rules: ["-A PREROUTING -j H", "-A OUTPUT -j H", "-A H -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A H -p udp -m udp --dport 69 -j CT --helper tftp"], chains: ["H"] },
		{ name: "overlapping helpers, first wins", rules: ["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A PREROUTING -p tcp -j CT --helper irc"] },
		{ name: "NOTRACK before", rules: ["-A PREROUTING -s 10.0.0.0/8 -j NOTRACK", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"] },
		{ name: "DROP before", rules: ["-A PREROUTING -s 10.0.0.0/8 -j DROP", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"] },
		{ name: "firewalld goto pair", rules: ["-A PREROUTING -j Z", "-A Z -i eth0 -g P", "-A Z -g P", "-A P -p tcp -m tcp --dport 21 -j CT --helper ftp"], chains: ["Z", "P"] },
		{ name: "disjoint CT --zone after", rules: ["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A PREROUTING -p udp -j CT --zone 4"] },
		{ name: "jump from one interface (path condition)", rules: ["-A PREROUTING -i eth0 -j X", "-A X -p tcp -m tcp --dport 21 -j CT --helper ftp"], chains: ["X"] },
		{ name: "ACCEPT of a prefix before (negated path condition)", rules: ["-A PREROUTING -s 10.0.0.0/8 -j ACCEPT", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"] },
		{ name: "firewalld zones with a default", rules: ["-A PREROUTING -j Z", "-A Z -i eth0 -g P", "-A Z -i eth1 -g H", "-A Z -g P", "-A P -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A H -p udp -m udp --dport 69 -j CT --helper tftp"], chains: ["Z", "P", "H"] },
	];
	for (const s of shapes) {
		it(s.name, () => {
			const text = raw(s.rules, s.chains ?? []);
			const out = compile(text, { file: "t.rules", family: "ip" });
			expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
			expect(verify(text, out.output)).toBe(true);
		});
	}
});

describe("CT --helper: wrong translations verify DIFFERENT", () => {
	const ipt = raw(["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]);
	const good = nftRaw({ objects: [FTP], helper: ['tcp dport 21 ct state new ct helper set "ftp-tcp"'] });
	const mutants: readonly { name: string; nft: string }[] = [
		{ name: "another helper type", nft: nftRaw({ objects: ['ct helper ftp-tcp { type "irc" protocol tcp; l3proto ip; }'], helper: ['tcp dport 21 ct state new ct helper set "ftp-tcp"'] }) },
		{ name: "object of the wrong protocol", nft: nftRaw({ objects: ['ct helper ftp-tcp { type "ftp" protocol udp; l3proto ip; }'], helper: ['tcp dport 21 ct state new ct helper set "ftp-tcp"'] }) },
		{ name: "port off by one", nft: nftRaw({ objects: [FTP], helper: ['tcp dport 22 ct state new ct helper set "ftp-tcp"'] }) },
		{ name: "without ct state new (expected connections get it too)", nft: nftRaw({ objects: [FTP], helper: ['tcp dport 21 ct helper set "ftp-tcp"'] }) },
		{ name: "before conntrack (priority -300)", nft: nftRaw({ objects: [FTP], helper: ['tcp dport 21 ct state new ct helper set "ftp-tcp"'], prio: -300 }) },
		{ name: "on the output hook instead", nft: nftRaw({ objects: [FTP], helper: ['tcp dport 21 ct state new ct helper set "ftp-tcp"'], hook: "output" }) },
		{ name: "no helper at all", nft: nftRaw({ objects: [FTP], helper: [] }) },
	];
	it("the reference translation is equal and loads", () => {
		expect(verify(ipt, good)).toBe(true);
		expect(nftCheck(good).stderr).toBe("");
	});
	for (const m of mutants) it(m.name, () => expect(verify(ipt, m.nft)).toBe(false));
});

describe("CT --helper: naive translations (without the lowering's refusals or path conditions) differ", () => {
	const helper = ['tcp dport 21 ct state new ct helper set "ftp-tcp"'];
	/** `translated`: the lowering translates it (with path conditions) instead of refusing. */
	const cases: readonly { name: string; ipt: string; nft: string; translated?: true }[] = [
		{
			name: "CT --zone before (its template wins in iptables)",
			ipt: raw(["-A PREROUTING -p tcp -j CT --zone 0", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]),
			nft: nftRaw({ pre: ["ip protocol tcp ct zone set 0"], objects: [FTP], helper }),
		},
		{
			name: "NOTRACK after (iptables ignores it after the template)",
			ipt: raw(["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A PREROUTING -j NOTRACK"]),
			nft: nftRaw({ pre: ["notrack"], objects: [FTP], helper }),
		},
		{
			name: "conditional ACCEPT before",
			ipt: raw(["-A PREROUTING -s 10.0.0.0/8 -i eth0 -j ACCEPT", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]),
			nft: nftRaw({ pre: ['iifname "eth0" ip saddr 10.0.0.0/8 accept'], objects: [FTP], helper }),
		},
		{
			name: "reached from one interface only, helper set for all",
			ipt: raw(["-A PREROUTING -i eth0 -j X", "-A X -p tcp -m tcp --dport 21 -j CT --helper ftp"], ["X"]),
			nft: nftRaw({ objects: [FTP], helper }),
			translated: true,
		},
	];
	for (const c of cases) {
		it(c.name, () => {
			expect(compile(c.ipt, { file: "t.rules", family: "ip" }).diagnostics.some((d) => d.code === "inexpressible")).toBe(c.translated !== true);
			expect(verify(c.ipt, c.nft)).toBe(false);
		});
	}
});

describe("CT --helper: the nft grammar", () => {
	it("`ct helper set` of an object the table does not declare is an input error", () => {
		const ipt = raw(["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]);
		const r = verifyTexts(ipt, nftRaw({ objects: [], helper: ['tcp dport 21 ct state new ct helper set "ftp-tcp"'] }), { oldFile: "t.rules", newFile: "t.nft", family: "ip", packets: 100 });
		expect(r.kind).toBe("input-error");
		if (r.kind === "input-error") expect(r.diagnostics.map((d) => d.code)).toContain("nft_undefined");
	});

	it("objects as `nft list ruleset` prints them (one item per line, no semicolons) and inline", () => {
		const ipt = raw(["-A PREROUTING -p udp -m udp --dport 69 -j CT --helper tftp"]);
		const listed = nftRaw({ objects: ['ct helper t {\n\t\ttype "tftp" protocol udp\n\t\tl3proto ip\n\t}'], helper: ['udp dport 69 ct state new ct helper set "t"'] });
		const inline = nftRaw({ objects: ['ct helper t { type "tftp" protocol udp; }'], helper: ['udp dport 69 ct state new ct helper set "t"'] });
		expect(verify(ipt, listed)).toBe(true);
		expect(verify(ipt, inline)).toBe(true);
		expect(nftCheck(listed).stderr).toBe("");
	});
});

/**
 * Soundness of the lowering's proof (compiler/lower/ct-helper-chain.ts): random raw tables mixing
 * CT --helper with ACCEPT/DROP/RETURN, jumps and gotos, NOTRACK and CT --zone. Whatever the
 * lowering translates without an error must verify equal; the rest is refused with a code.
 */
describe("CT --helper: random raw tables, translated ones verify equal", () => {
	let seed = 0x5eed;
	const rnd = (n: number): number => {
		seed = (seed * 1103515245 + 12345) >>> 0;
		return (seed >>> 8) % n;
	};
	const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
	const HELPERS = ["-p tcp -m tcp --dport 21 -j CT --helper ftp", "-p tcp -j CT --helper irc", "-p udp -m udp --dport 69 -j CT --helper tftp", "-s 10.0.0.0/8 -p tcp -m tcp --dport 21 -j CT --helper ftp"];
	const MATCHES = ["", "-p tcp", "-p udp", "-p tcp -m tcp --dport 21", "-p udp -m udp --dport 69", "-s 10.0.0.0/8", "-i eth0", "-i eth+", "! -s 10.0.0.0/8", "-p tcp -m tcp --dport 22", "-s 10.0.0.0/8 -p tcp", "-i eth0 -p udp"];
	const ACTIONS = ["-j ACCEPT", "-j DROP", "-j RETURN", "-j NOTRACK", "-j CT --zone 0", "-j CT"];
	function table(): string {
		const lines: string[] = [];
		// `-i` is invalid on the output path: OUTPUT keeps to its own rules without it.
		const chains: Record<string, readonly string[]> = { PREROUTING: ["X", "Y"], OUTPUT: [], X: ["Y"], Y: [] };
		for (const [c, targets] of Object.entries(chains)) {
			const n = rnd(4) + (c === "PREROUTING" ? 1 : 0);
			for (let i = 0; i < n; i++) {
				const k = rnd(10);
				if (k < 4) lines.push(`-A ${c} ${pick(HELPERS)}`);
				else if (k < 6 && targets.length > 0) lines.push(`-A ${c} ${pick(MATCHES)} ${pick(["-j", "-g"])} ${pick(targets)}`.replace(/ +/g, " "));
				else lines.push(`-A ${c} ${pick(c === "OUTPUT" ? MATCHES.filter((m) => !m.startsWith("-i")) : MATCHES)} ${pick(ACTIONS)}`.replace(/ +/g, " "));
			}
		}
		return raw(lines, ["X", "Y"]);
	}
	it("100 tables", () => {
		let translated = 0;
		let refused = 0;
		for (let i = 0; i < 100; i++) {
			const text = table();
			if (!text.includes("--helper")) continue;
			const out = compile(text, { file: "t.rules", family: "ip" });
			const errs = out.diagnostics.filter((d) => d.severity === "error");
			if (errs.length > 0) {
				expect(errs.map((d) => d.code).every((c) => c === "inexpressible"), text).toBe(true);
				refused++;
				continue;
			}
			translated++;
			// Line by line (-O0) the output must load as it is.
			expect(nftCheck(compile(text, { file: "t.rules", family: "ip", optimize: 0 }).output).stderr, text).toBe("");
			const r = verifyTexts(text, out.output, { oldFile: "t.rules", newFile: "t.nft", family: "ip", packets: 1500, conntrack: true });
			expect(r.kind, text).toBe("done");
			if (r.kind === "done") expect(r.result.equal, `${text}\n${out.output}`).toBe(true);
		}
		console.log(`CT --helper random raw tables: ${translated} translated and verified equal, ${refused} refused`);
		// Both outcomes occur, so neither branch is vacuous.
		expect(translated, `refused ${refused}`).toBeGreaterThan(10);
		expect(refused, `translated ${translated}`).toBeGreaterThan(2);
	}, 180_000);
});
