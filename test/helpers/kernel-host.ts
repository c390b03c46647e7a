/**
 * Set-ups the extension kernel tests share: a host namespace with the rules of one side loaded
 * (iptables-legacy-restore or nft -f), optionally with a veth peer at 10.9.0.2 (host 10.9.0.1),
 * and a scapy sender that reports which crafted packets the host's OUTPUT hook dropped.
 * Namespaces belong to the caller's NsGroup, which deletes them.
 */
import { expect } from "vitest";
import { compile } from "../../compiler/index.js";
import { NsGroup, PYTHON, run, runIn } from "../../compiler/kernel/netns.js";

export type Side = "iptables" | "nft";

function must(cmd: string, args: readonly string[]): void {
	const r = run(cmd, [...args]);
	if (!r.ok) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

/** A fresh namespace with lo up and `rules` loaded the way `side` loads them. */
export function hostWithRules(g: NsGroup, prefix: string, side: Side, fam: "ip" | "ip6", rules: string): string {
	const ns = g.add(prefix);
	must("ip", ["-n", ns, "link", "set", "lo", "up"]);
	const restore = fam === "ip6" ? "ip6tables-legacy-restore" : "iptables-legacy-restore";
	const load = side === "iptables" ? runIn(ns, restore, [], rules) : runIn(ns, "nft", ["-f", "-"], rules);
	if (!load.ok) throw new Error(`loading ${side}: ${load.stderr}`);
	return ns;
}

/** A host namespace (10.9.0.1, rules loaded) and its veth peer (10.9.0.2, nothing loaded). */
export function hostAndPeer(g: NsGroup, prefix: string, side: Side, rules: string): { host: string; peer: string } {
	const host = g.add(`${prefix}-h`);
	const peer = g.add(`${prefix}-p`);
	must("ip", ["-n", host, "link", "add", "vh", "type", "veth", "peer", "name", "vp", "netns", peer]);
	must("ip", ["-n", host, "addr", "add", "10.9.0.1/24", "dev", "vh"]);
	must("ip", ["-n", peer, "addr", "add", "10.9.0.2/24", "dev", "vp"]);
	must("ip", ["-n", host, "link", "set", "vh", "up"]);
	must("ip", ["-n", peer, "link", "set", "vp", "up"]);
	must("ip", ["-n", host, "link", "set", "lo", "up"]);
	const load = side === "iptables" ? runIn(host, "iptables-legacy-restore", [], rules) : runIn(host, "nft", ["-f", "-"], rules);
	if (!load.ok) throw new Error(`loading ${side}: ${load.stderr}`);
	return { host, peer };
}

/**
 * A python script that sends each scapy packet expression (to ::1 / 127.0.0.1 through raw
 * sockets) and prints a JSON list: true where the send failed with EPERM, i.e. OUTPUT dropped it.
 */
export function dropScript(scapyImports: string, packets: readonly string[]): string {
	return [
		"import json, socket",
		`from scapy.all import ${scapyImports}`,
		"s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)",
		"s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)",
		"out = []",
		`for p in [${packets.join(", ")}]:`,
		"    try:",
		'        (s6.sendto(bytes(p), ("::1", 0)) if p.version == 6 else s4.sendto(bytes(p), ("127.0.0.1", 0)))',
		"        out.append(False)",
		"    except PermissionError:",
		"        out.append(True)",
		"print(json.dumps(out))",
		"",
	].join("\n");
}

/** Which of `packets` (scapy expressions) the OUTPUT hook of a host with `rules` drops. */
export function kernelDrops(prefix: string, side: Side, fam: "ip" | "ip6", rules: string, scapyImports: string, packets: readonly string[]): boolean[] {
	const g = new NsGroup();
	try {
		const ns = hostWithRules(g, `${prefix}-${side === "nft" ? "n" : "i"}`, side, fam, rules);
		const sent = runIn(ns, PYTHON, ["-c", dropScript(scapyImports, packets)]);
		if (!sent.ok) throw new Error(`send: ${sent.stderr}`);
		return JSON.parse(sent.stdout.trim().split("\n").pop() ?? "[]") as boolean[];
	} finally {
		g.destroy();
	}
}

/** One OUTPUT rule and the crafted packets it is tried on. */
export interface KernelDropCase {
	readonly name: string;
	readonly fam: "ip" | "ip6";
	readonly rule: string;
	/** scapy expressions of the packets, sent in order. */
	readonly packets: readonly string[];
	/** Which of them the kernel drops. */
	readonly dropped: readonly boolean[];
}

/** iptables-legacy and ipt2nft's translation of the case's rule drop exactly `dropped` of `packets`. */
export function expectKernelDrops(c: KernelDropCase, prefix: string, scapyImports: string): void {
	const save = `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT ${c.rule}\nCOMMIT\n`;
	const out = compile(save, { file: "t.rules", family: c.fam });
	expect(out.ok).toBe(true);
	expect(kernelDrops(prefix, "iptables", c.fam, save, scapyImports, c.packets)).toEqual(c.dropped);
	expect(kernelDrops(prefix, "nft", c.fam, out.output, scapyImports, c.packets)).toEqual(c.dropped);
}
