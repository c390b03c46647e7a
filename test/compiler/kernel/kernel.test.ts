/**
 * verify --kernel: the original rules (iptables-legacy-restore) and the translation (nft -f)
 * each loaded into their own network namespaces shaped like the simulator's host; the same
 * packets replayed through both; kernel(old) == kernel(new) == simulator for every replayed
 * packet. Needs root and network namespaces: without them the kernel cases are skipped, and the
 * reason is printed (never silently).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { compile } from "../../../compiler/index.js";
import { verifyKernel, type KernelVerifyReport, type KernelVerifyResult } from "../../../compiler/kernel/index.js";
import { kernelSupport, NS_PREFIX, run, sweepStale } from "../../../compiler/kernel/netns.js";
import { toRestore } from "../../../compiler/kernel/restore.js";
import { defaultHost } from "../../../compiler/sim/host.js";
import { iptHostHints } from "../../../compiler/sim/ipt/index.js";
import { makePacket } from "../../../compiler/sim/make.js";
import type { Scenario } from "../../../compiler/sim/scenario.js";
import { cli } from "../../helpers/cli.js";
import { CORPUS_REAL, EXAMPLES } from "../../helpers/paths.js";

const support = kernelSupport();
const SKIP = support.ok ? "" : ` [SKIPPED: ${support.reason}]`;
if (!support.ok) console.warn(`kernel replay tests skipped: ${support.reason}`);

/** Packets per ruleset: keeps the whole file well under 3 minutes on 2 cores. */
const PACKETS = 150;

const fidelity = { packets: 0, agree: 0, replayed: 0, skipped: new Map<string, number>() };

function done(r: KernelVerifyResult): KernelVerifyReport {
	if (r.kind !== "done") throw new Error(`kernel replay did not run: ${r.kind === "unsupported" ? r.reason : r.diagnostics.map((d) => d.message).join("; ")}`);
	return r;
}

function tally(r: KernelVerifyReport): void {
	fidelity.packets += r.fidelity.old.packets + r.fidelity.new.packets;
	fidelity.agree += r.fidelity.old.agree + r.fidelity.new.agree;
	fidelity.replayed += 2 * r.replayedPackets;
	for (const [why, n] of r.skippedPackets) fidelity.skipped.set(why, (fidelity.skipped.get(why) ?? 0) + n);
}

/** Every disagreement, printed, so a failing assertion says which packet and why. */
function disagreements(r: KernelVerifyReport): string[] {
	return r.comparisons
		.filter((c) => !c.kernelEqual || !c.simOldAgrees || !c.simNewAgrees)
		.map((c) => `#${c.planned.original.id}\n kernel old: ${c.keys.kernelOld.join(" | ")}\n kernel new: ${c.keys.kernelNew.join(" | ")}\n sim old:    ${c.keys.simOld.join(" | ")}\n sim new:    ${c.keys.simNew.join(" | ")}`);
}

function translateAndReplay(text: string, file: string, packets = PACKETS): KernelVerifyReport {
	const out = compile(text, { file });
	expect(out.ok).toBe(true);
	const r = done(verifyKernel(text, out.output, { oldFile: file, newFile: `${file}.nft`, packets }));
	tally(r);
	return r;
}

afterAll(() => {
	if (fidelity.packets === 0) return;
	const pct = ((100 * fidelity.agree) / fidelity.packets).toFixed(2);
	const skipped = [...fidelity.skipped].sort((a, b) => b[1] - a[1]).map(([w, n]) => `  ${n}  ${w}`);
	console.log(`kernel fidelity: ${fidelity.replayed} packets replayed (both sides), simulator/kernel agreement ${fidelity.agree}/${fidelity.packets} = ${pct}%\nskipped packets by reason:\n${skipped.join("\n")}`);
});

describe("toRestore: what iptables-legacy-restore loads", () => {
	it("turns an iptables -S session into restore blocks per table", () => {
		const r = toRestore(readFileSync(join(EXAMPLES, "docker-caddy.dump"), "utf8"));
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.family).toBe("ip");
		expect(r.text).toContain("*nat\n:PREROUTING ACCEPT [0:0]\n");
		expect(r.text).toContain(":DOCKER - [0:0]\n");
		expect(r.text).toContain("-A DOCKER ! -i br-ac3e0514d837 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 172.18.0.2:80\nCOMMIT\n");
		expect(r.text).toContain("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n");
		expect(r.text.match(/^COMMIT$/gm)).toHaveLength(2);
	});
	it("passes iptables-save through and refuses scripts", () => {
		const save = "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n";
		expect(toRestore(save)).toEqual({ ok: true, family: "ip", text: save });
		expect(toRestore("iptables -A INPUT -j DROP\n").ok).toBe(false);
	});
});

describe(`verify --kernel${SKIP}`, () => {
	for (const name of ["docker-default.dump", "docker-caddy.dump"]) {
		it.skipIf(!support.ok)(`seed ${name}: kernel(iptables) == kernel(nft) == simulator`, () => {
			const r = translateAndReplay(readFileSync(join(EXAMPLES, name), "utf8"), name, 200);
			expect(disagreements(r)).toEqual([]);
			expect(r.kernelEqual).toBe(true);
			expect(r.comparisons.length).toBeGreaterThan(40);
			// Flows were replayed, not only single packets, and some were forwarded, some delivered.
			const fates = new Set(r.comparisons.flatMap((c) => c.kernelOld.packets.map((p) => p.fate)));
			expect(r.comparisons.some((c) => c.kernelOld.packets.length === 3)).toBe(true);
			for (const f of ["delivered", "forwarded", "silent"] as const) expect(fates).toContain(f);
		});
	}

	describe("seed DNAT: published port 8081 reaches the container through FORWARD", () => {
		const input = readFileSync(join(EXAMPLES, "docker-caddy.dump"), "utf8");
		const withInputDrop = input.replace("$ sudo iptables -t filter -S\n-P INPUT ACCEPT\n", "$ sudo iptables -t filter -S\n-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 8081 -j DROP\n");
		const parsed = parseIptables(input, { file: "docker-caddy.dump" });
		const host = defaultHost(iptHostHints(parsed.ruleset));
		const uplink = host.interfaces.find((i) => i.name === "eth0")!.addrs.find((a) => a.fam === 4)!.addr;
		const scn: Scenario = {
			id: 1,
			kind: "flow",
			pkt: makePacket({ fam: 4, saddr: 0xcb007107n, daddr: uplink, proto: 6, sport: 40000, dport: 8081, tcpFlags: 0x02, iif: "eth0", length: 60 }),
		};
		for (const [label, text] of [
			["as dumped", input],
			["with an INPUT drop rule for 8081", withInputDrop],
		] as const) {
			it.skipIf(!support.ok)(`${label}: DNAT to 172.18.0.2:80, forwarded out the bridge, reply un-NATed, on both sides`, () => {
				expect(withInputDrop).not.toBe(input);
				const out = compile(text, { file: "docker-caddy.dump" });
				const r = done(verifyKernel(text, out.output, { oldFile: "docker-caddy.dump", newFile: "caddy.nft", scenarios: [scn] }));
				expect(r.comparisons).toHaveLength(1);
				const c = r.comparisons[0]!;
				for (const k of [c.kernelOld, c.kernelNew]) {
					const [first, reply, follow] = k.packets;
					expect(first).toMatchObject({ fate: "forwarded", oif: "br-ac3e0514d837", daddr: "172.18.0.2", dport: 80, saddr: "203.0.113.7", sport: 40000 });
					expect(reply).toMatchObject({ fate: "forwarded", oif: "eth0", saddr: "198.51.100.1", sport: 8081, daddr: "203.0.113.7", dport: 40000 });
					expect(follow).toMatchObject({ fate: "forwarded", oif: "br-ac3e0514d837", daddr: "172.18.0.2", dport: 80 });
				}
				expect(disagreements(r)).toEqual([]);
			});
		}

		it.skipIf(!support.ok)("a deliberately wrong translation (accept -> drop on the container's rule) is caught", () => {
			const out = compile(input, { file: "docker-caddy.dump" });
			const line = out.output.split("\n").find((l) => /172\.18\.0\.2/.test(l) && /dport 80/.test(l) && /\baccept\b/.test(l));
			expect(line).toBeDefined();
			const wrong = out.output.replace(line!, line!.replace(/\baccept\b/, "drop"));
			const r = done(verifyKernel(input, wrong, { oldFile: "docker-caddy.dump", newFile: "wrong.nft", scenarios: [scn] }));
			expect(r.kernelEqual).toBe(false);
			expect(r.comparisons[0]!.kernelOld.packets[0]!.fate).toBe("forwarded");
			expect(r.comparisons[0]!.kernelNew.packets[0]!.fate).toBe("silent");
			// The simulator predicted the new side's drop too: it agrees with the kernel on both sides.
			expect(r.comparisons[0]!.simNewAgrees).toBe(true);
		});

		it.skipIf(!support.ok)("CLI: verify --kernel exits 1 on the wrong translation, --kernel --sim exits 0 on the right one", () => {
			const out = compile(input, { file: "docker-caddy.dump" });
			const dir = execFileSync("mktemp", ["-d"], { encoding: "utf8" }).trim();
			try {
				const good = join(dir, "good.nft");
				const bad = join(dir, "bad.nft");
				execFileSync("sh", ["-c", `cat > ${good}`], { input: out.output });
				// Containers on docker0 may no longer reach the outside: accept -> drop on that one rule.
				const flipped = out.output.replace(/(iifname "docker0" oifname != "docker0") accept/, "$1 drop");
				expect(flipped).not.toBe(out.output);
				execFileSync("sh", ["-c", `cat > ${bad}`], { input: flipped });
				const ok = cli(["verify", "--kernel", "--sim", "--packets", "60", join(EXAMPLES, "docker-caddy.dump"), good]);
				expect(ok.stderr).toBe("");
				expect(ok.code).toBe(0);
				expect(ok.stdout).toMatch(/kernel: equal: \d+ scenarios/);
				expect(ok.stdout).toMatch(/simulator vs kernel: iptables (\d+)\/\1 packets agree \(100\.0%\), nft (\d+)\/\2 \(100\.0%\)/);
				const wrong = cli(["verify", "--kernel", "--packets", "150", join(EXAMPLES, "docker-caddy.dump"), bad]);
				expect(wrong.code).toBe(1);
				expect(wrong.stdout).toMatch(/kernel: DIFFERENT: \d+ of \d+ replayed scenarios differ/);
				expect(wrong.stdout).toContain("kernel, nft:");
			} finally {
				execFileSync("rm", ["-rf", dir]);
			}
		});
	});

	// Real rulesets that translate fully (kept to those the replay can load: legacy modules present).
	const CORPUS = [
		"boringtun-wireguard-vps.rules",
		"docker1.x-libvirt-centos7.rules",
		"iptables-upstream-2003-filter.rules",
		"iptables-upstream-fedora27-firewalld.v6.rules",
		"iptsem-ringofsaturn.rules",
		"iptsem-rlworkman-gateway.rules",
		"istio-ambient-cni-pod.rules",
		"moby-iptabler-golden-hairpin.v6.rules",
		"moby-iptablesdoc-swarm-portmap.rules",
		"moby-iptablesdoc-usernet-internal.rules",
		"netnetwork-docker-weave-host1.rules",
		"netnetwork-internal-office-fw.rules",
		"netnetwork-openwrt-fw3-openvpn.rules",
		"netnetwork-synology-ds414.v6.rules",
		"tor-exitnode.rules",
	];
	for (const name of CORPUS) {
		it.skipIf(!support.ok)(`corpus ${name}: kernel(iptables) == kernel(nft) == simulator`, () => {
			const r = translateAndReplay(readFileSync(join(CORPUS_REAL, name), "utf8"), name);
			expect(disagreements(r)).toEqual([]);
			expect(r.comparisons.length).toBeGreaterThan(5);
		});
	}

	it.skipIf(!support.ok)("random small rulesets: kernel(iptables) == kernel(nft) == simulator", () => {
		for (const seed of [1, 2, 3]) {
			const text = randomRuleset(seed);
			const r = translateAndReplay(text, `random-${seed}.rules`, 100);
			expect({ seed, text, d: disagreements(r) }).toEqual({ seed, text, d: [] });
		}
	});

	it.skipIf(!support.ok)("leaves no namespaces behind, and sweeps those of dead runs", () => {
		const mine = run("ip", ["netns", "list"]).stdout;
		expect(mine).not.toContain(`${NS_PREFIX}${process.pid}-`);
		// A namespace named by a process that no longer exists (pid beyond pid_max).
		const stale = `${NS_PREFIX}99999999-dead00-ho`;
		expect(run("ip", ["netns", "add", stale]).ok).toBe(true);
		try {
			expect(sweepStale()).toContain(stale);
			expect(run("ip", ["netns", "list"]).stdout).not.toContain(stale);
		} finally {
			run("ip", ["netns", "del", stale]);
		}
	});
});

describe("verify --kernel without the means to run", () => {
	it("--sim needs --kernel (exit 2)", () => {
		const r = cli(["verify", "--sim", join(EXAMPLES, "docker-default.dump"), join(EXAMPLES, "docker-default.dump")]);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain("--sim");
	});
	it.skipIf(support.ok)(`reports why it cannot replay (exit 2)${support.ok ? "" : `: ${support.reason}`}`, () => {
		const out = compile(readFileSync(join(EXAMPLES, "docker-default.dump"), "utf8"), { file: "d" });
		const dir = execFileSync("mktemp", ["-d"], { encoding: "utf8" }).trim();
		execFileSync("sh", ["-c", `cat > ${dir}/n.nft`], { input: out.output });
		const r = cli(["verify", "--kernel", join(EXAMPLES, "docker-default.dump"), `${dir}/n.nft`]);
		execFileSync("rm", ["-rf", dir]);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain("verify --kernel:");
	});
});

/** A small iptables-save ruleset from a seed: filter rules on ports, prefixes, interfaces, state, plus a DNAT and a MASQUERADE. */
function randomRuleset(seed: number): string {
	let x = seed * 2654435761;
	const rnd = (n: number): number => {
		x = (x * 1103515245 + 12345) & 0x7fffffff;
		return x % n;
	};
	const pick = <T>(a: readonly T[]): T => a[rnd(a.length)]!;
	const verdicts = ["ACCEPT", "DROP", "REJECT --reject-with icmp-port-unreachable", "REJECT --reject-with icmp-admin-prohibited", "RETURN"];
	const rule = (chain: string): string => {
		const parts = [`-A ${chain}`];
		if (rnd(2)) parts.push(pick(["-s 10.1.0.0/16", "! -s 192.0.2.0/24", "-d 198.51.100.1/32", "-d 172.17.0.0/16"]));
		if (chain !== "OUTPUT" && rnd(2)) parts.push(pick(["-i eth0", "-i docker0", "! -i eth0"]));
		if (chain !== "INPUT" && rnd(3) === 0) parts.push(pick(["-o eth0", "-o docker0"]));
		const proto = pick(["tcp", "udp", "icmp", ""]);
		if (proto === "tcp" || proto === "udp") parts.push(`-p ${proto} -m ${proto} --dport ${pick(["22", "80", "1000:2000", "53"])}`);
		else if (proto === "icmp") parts.push(`-p icmp -m icmp --icmp-type ${pick(["8", "0", "3"])}`);
		if (rnd(3) === 0) parts.push(pick(["-m conntrack --ctstate NEW", "-m conntrack --ctstate RELATED,ESTABLISHED", "-m state --state INVALID"]));
		let v = pick(verdicts);
		if (v.startsWith("REJECT") && proto === "tcp" && rnd(2)) v = "REJECT --reject-with tcp-reset";
		parts.push(`-j ${v}`);
		return parts.join(" ");
	};
	const lines = ["*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]"];
	lines.push(`-A PREROUTING -i eth0 -p tcp -m tcp --dport ${8000 + rnd(100)} -j DNAT --to-destination 172.17.0.${2 + rnd(5)}:80`);
	lines.push("-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE", "COMMIT", "*filter");
	lines.push(`:INPUT ${pick(["ACCEPT", "DROP"])} [0:0]`, `:FORWARD ${pick(["ACCEPT", "DROP"])} [0:0]`, `:OUTPUT ACCEPT [0:0]`);
	for (const chain of ["INPUT", "FORWARD", "OUTPUT"]) for (let i = 0, n = 2 + rnd(5); i < n; i++) lines.push(rule(chain));
	lines.push("COMMIT");
	return lines.join("\n") + "\n";
}
