import { describe, expect, it } from "vitest";
import type * as ipt from "../../../compiler/ir/ipt.js";
import type * as nft from "../../../compiler/ir/nft.js";
import { rule as ruleText } from "../../../compiler/emit/format.js";
import { emitText } from "../../../compiler/emit/text.js";
import { lower } from "../../../compiler/lower/index.js";
import { nftCheck } from "../../helpers/nft-check.js";
import { chain, rule, table } from "../build.js";
import { CASES, type Case } from "./cases.js";

function defaultChain(c: Case): string {
	return c.chain ?? "INPUT";
}

/** The case's rule in its chain, inside a complete table that also has a user chain USER. */
function caseTable(c: Case): ipt.Table {
	const where = defaultChain(c);
	const r = rule({ ...c.rule, line: 7 });
	const chains = [chain(where, [r])];
	if (where !== "USER") chains.push(chain("USER", []));
	return table(c.family ?? "ip", c.table ?? "filter", chains);
}

function lowerCase(c: Case): { table: nft.Table; codes: string[] } {
	const out = lower({ tables: [caseTable(c)] }, { counters: c.counters ?? false });
	const t = out.ruleset.tables[0];
	if (t === undefined) throw new Error("no table");
	return { table: t, codes: out.diagnostics.map((d) => d.code) };
}

describe("lowering golden cases", () => {
	for (const c of CASES) {
		it(c.name, () => {
			const { table: t, codes } = lowerCase(c);
			const ch = t.chains.find((x) => x.name === defaultChain(c));
			expect(ch).toBeDefined();
			const lines = (ch?.rules ?? []).map((r) => ruleText(r, t.family));
			expect(lines).toEqual(c.nft ?? []);
			if (c.codes !== undefined) expect(codes).toEqual(c.codes);
			else expect(codes).toEqual([]);
			// Every rule keeps the span of the input rule it came from.
			for (const r of ch?.rules ?? []) expect(r.origins).toEqual([expect.objectContaining({ line: 7 })]);
		});
	}
});

describe("every golden case is accepted by the real nft -c", () => {
	const ok = CASES.filter((c) => (c.nft ?? []).length > 0 && c.kernelMissing !== true);
	it(`batch of ${ok.length} tables in one nft -c run`, () => {
		const tables: nft.Table[] = ok.map((c, i) => ({ ...lowerCase(c).table, name: `c${i}` }));
		const text = emitText({ tables }, { preamble: "none" });
		const r = nftCheck(text);
		if (!r.ok) {
			// Name the failing cases: nft reports line numbers of the batch file.
			const lines = text.split("\n");
			const failing = [...r.stderr.matchAll(/:(\d+):\d+/g)].map((m) => {
				const n = Number(m[1]);
				for (let i = n - 1; i >= 0; i--) {
					const t = /^table \S+ c(\d+) \{/.exec(lines[i] ?? "");
					if (t) return ok[Number(t[1])]?.name;
				}
				return undefined;
			});
			expect.fail(`nft -c rejected: ${[...new Set(failing)].join("; ")}\n${r.stderr}`);
		}
		expect(r.ok).toBe(true);
	});

	it("queue statements parse; only the kernel module is missing here", () => {
		for (const c of CASES.filter((x) => x.kernelMissing === true)) {
			const text = emitText({ tables: [lowerCase(c).table] }, { preamble: "none" });
			const r = nftCheck(text);
			// A syntax or evaluation error would say so; ENOENT comes from the kernel transaction.
			if (!r.ok) expect(r.stderr).toMatch(/Could not process rule: No such file or directory/);
			expect(r.stderr).not.toMatch(/syntax error/);
		}
	});
});

describe("coverage guard", () => {
	const MATCH_KINDS: Record<ipt.MatchKind, true> = {
		tcp: true,
		udp: true,
		icmp: true,
		icmpv6: true,
		multiport: true,
		conntrack: true,
		state: true,
		addrtype: true,
		comment: true,
		mark: true,
		connmark: true,
		limit: true,
		mac: true,
		iprange: true,
		length: true,
		pkttype: true,
		owner: true,
		statistic: true,
		recent: true,
		connlimit: true,
		hashlimit: true,
		quota: true,
		set: true,
		hl: true,
		rt: true,
		frag: true,
		ah: true,
		esp: true,
		sctp: true,
		dccp: true,
		dscp: true,
		tos: true,
		ecn: true,
		rpfilter: true,
		physdev: true,
		policy: true,
		time: true,
		string: true,
		helper: true,
		devgroup: true,
		realm: true,
		cpu: true,
		cgroup: true,
		nfacct: true,
		socket: true,
		connbytes: true,
		connlabel: true,
		cluster: true,
		hbh: true,
		dst: true,
		mh: true,
		ipcomp: true,
		tcpmss: true,
		ipv6header: true,
		u32: true,
		unknown: true,
	};
	const TARGET_KINDS: Record<ipt.TargetKind, true> = {
		accept: true,
		drop: true,
		return: true,
		jump: true,
		goto: true,
		reject: true,
		log: true,
		nflog: true,
		dnat: true,
		snat: true,
		masquerade: true,
		redirect: true,
		mark: true,
		"connmark-set": true,
		"connmark-save": true,
		"connmark-restore": true,
		notrack: true,
		tcpmss: true,
		nfqueue: true,
		ipset: true,
		synproxy: true,
		"hl-set": true,
		ct: true,
		"checksum-fill": true,
		"dscp-set": true,
		"tos-set": true,
		tproxy: true,
		classify: true,
		audit: true,
		netmap: true,
		tcpoptstrip: true,
		hmark: true,
		secmark: true,
		connsecmark: true,
		tee: true,
		trace: true,
		unknown: true,
	};
	// A kind is covered by a case that emits something (unknown: by a case that emits nothing).
	const emits = (c: Case): boolean => (c.nft ?? []).length > 0;
	// Kinds nft cannot express at all (or that translate to nothing): covered by a case with its code.
	const REFUSED = new Set<string>(["physdev", "string", "checksum-fill", "hmark", "secmark"]);
	const refused = (c: Case, k: string): boolean => REFUSED.has(k) && (c.codes ?? []).length > 0;
	for (const k of Object.keys(MATCH_KINDS) as ipt.MatchKind[]) {
		it(`match ${k} has a golden case`, () => {
			const covered = CASES.some((c) => (c.rule.matches ?? []).some((m) => m.kind === k) && (emits(c) || k === "unknown" || refused(c, k)));
			expect(covered).toBe(true);
		});
	}
	for (const k of Object.keys(TARGET_KINDS) as ipt.TargetKind[]) {
		it(`target ${k} has a golden case`, () => {
			const covered = CASES.some((c) => c.rule.target?.kind === k && (emits(c) || k === "unknown" || refused(c, k)));
			expect(covered).toBe(true);
		});
	}
});
