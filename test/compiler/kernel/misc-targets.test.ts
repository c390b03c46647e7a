/**
 * TEE and CONNMARK shifts against the real kernel, in uniquely named namespaces deleted
 * afterwards: the original rules (iptables-legacy-restore) and ipt2nft's translation (nft -f)
 * must give the same copies and the same conntrack marks, and a one-value mutant must not.
 * - TEE: the host sends UDP to 10.9.0.77 (no such neighbour); the copy goes to the gateway
 *   10.9.0.2, the peer namespace, which counts it in an nft observer table.
 * - CONNMARK: three flows (ports 9001..9003) whose conntrack marks /proc/net/nf_conntrack shows.
 * - socket --restore-skmark: a listener with SO_MARK 0x42; the peer connects; the mark taken from
 *   the socket (even though the rule's later match fails) is saved to the connection.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { kernelSupport, NsGroup, PYTHON, run, runIn } from "../../../compiler/kernel/netns.js";
import { hostAndPeer } from "../../helpers/kernel-host.js";

const support = kernelSupport();
if (!support.ok) console.warn(`TEE/CONNMARK kernel tests skipped: ${support.reason}`);

const OBSERVER = "table ip obs {\n\tchain pre {\n\t\ttype filter hook prerouting priority -400; policy accept;\n\t\tip daddr 10.9.0.77 udp dport 9999 counter\n\t}\n}\n";

const SEND = (ports: readonly number[], dst: string): string =>
	`import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\nfor p in ${JSON.stringify(ports)}:\n    s.sendto(b"x", ("${dst}", p))\n`;

interface Observed {
	readonly copies: number;
	/** conntrack mark by destination port. */
	readonly marks: Readonly<Record<number, number>>;
}

function observe(kind: "iptables" | "nft", rules: string, ports: readonly number[], dst: string): Observed {
	const g = new NsGroup();
	try {
		const { host, peer } = hostAndPeer(g, "mt", kind, rules);
		const obs = runIn(peer, "nft", ["-f", "-"], OBSERVER);
		if (!obs.ok) throw new Error(`observer: ${obs.stderr}`);
		// Let the veth pair come up (IPv6 DAD does not matter; carrier does).
		run("sleep", ["0.3"]);
		const send = runIn(host, PYTHON, ["-c", SEND(ports, dst)]);
		if (!send.ok) throw new Error(`send: ${send.stderr}`);
		run("sleep", ["0.5"]);
		const list = runIn(peer, "nft", ["list", "table", "ip", "obs"]);
		const copies = Number(/counter packets (\d+)/.exec(list.stdout)?.[1] ?? "-1");
		const marks: Record<number, number> = {};
		for (const line of runIn(host, "cat", ["/proc/net/nf_conntrack"]).stdout.split("\n")) {
			const dport = /dport=(\d+)/.exec(line);
			const mark = /mark=(\d+)/.exec(line);
			if (dport && mark) marks[Number(dport[1])] = Number(mark[1]);
		}
		return { copies, marks };
	} finally {
		g.destroy();
	}
}

const TEE = "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A OUTPUT -p udp -m udp --dport 9999 -j TEE --gateway 10.9.0.2 --oif vh\nCOMMIT\n";

const CONNMARK = [
	"*mangle",
	":PREROUTING ACCEPT [0:0]",
	":INPUT ACCEPT [0:0]",
	":FORWARD ACCEPT [0:0]",
	":OUTPUT ACCEPT [0:0]",
	":POSTROUTING ACCEPT [0:0]",
	"-A OUTPUT -p udp -m udp --dport 9001 -j CONNMARK --set-mark 0xfedcba98",
	"-A OUTPUT -p udp -m udp --dport 9001 -j CONNMARK --set-mark 0x23/0x42 --right-shift-mark 5",
	"-A OUTPUT -p udp -m udp --dport 9002 -j MARK --set-mark 0xabcd",
	"-A OUTPUT -p udp -m udp --dport 9002 -j CONNMARK --save-mark --nfmask 0xff --left-shift-mark 8",
	"-A OUTPUT -p udp -m udp --dport 9003 -j CONNMARK --set-mark 0x12345",
	"-A OUTPUT -p udp -m udp --dport 9003 -j CONNMARK --restore-mark --ctmask 0xff00 --right-shift-mark 8",
	"-A OUTPUT -p udp -m udp --dport 9003 -j CONNMARK --save-mark",
	"COMMIT",
	"",
].join("\n");

describe.skipIf(!support.ok)("TEE and CONNMARK shifts in the kernel", () => {
	it("TEE: one copy reaches the gateway on both sides; a copy to another gateway does not", () => {
		const out = compile(TEE, { file: "t.rules" });
		expect(out.ok).toBe(true);
		expect(out.output).toContain('dup to 10.9.0.2 device "vh"');
		// nft resolves the device when loading: it exists in the host namespace, not necessarily here.
		const old = observe("iptables", TEE, [9999], "10.9.0.77");
		expect(old.copies).toBe(1);
		expect(observe("nft", out.output, [9999], "10.9.0.77").copies).toBe(1);
		expect(observe("nft", out.output.replace("dup to 10.9.0.2", "dup to 10.9.0.3"), [9999], "10.9.0.77").copies).toBe(0);
	}, 60_000);

	it("CONNMARK: the kernel's marks are the simulator's, on both sides; a shift mutant differs", () => {
		const out = compile(CONNMARK, { file: "t.rules" });
		expect(out.ok).toBe(true);
		// ((0xfedcba98 & ~0x63) ^ 0x23) >> 5, (0xabcd & 0xff) << 8, (0x12345 & 0xff00) >> 8
		const want = { 9001: ((((0xfedcba98 & ~0x63) ^ 0x23) >>> 0) >>> 5) >>> 0, 9002: 0xcd00, 9003: 0x23 };
		const ports = [9001, 9002, 9003];
		expect(observe("iptables", CONNMARK, ports, "10.9.0.2").marks).toEqual(want);
		expect(observe("nft", out.output, ports, "10.9.0.2").marks).toEqual(want);
		const mutant = observe("nft", out.output.replace(") << 8", ") << 7"), ports, "10.9.0.2").marks;
		expect(mutant[9002]).toBe(0x6680);
	}, 60_000);
});

const SERVER = `
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, 0x42)
s.bind(("10.9.0.1", 8080)); s.listen(4); s.settimeout(5)
c, _ = s.accept(); time.sleep(0.5)
`;
const CLIENT = `
import socket, time
s = socket.socket(); s.settimeout(3); s.connect(("10.9.0.1", 8080)); time.sleep(0.3)
`;

async function skmark(kind: "iptables" | "nft", rules: string): Promise<number | undefined> {
	const g = new NsGroup();
	try {
		const host = g.add("sk-h");
		const peer = g.add("sk-p");
		for (const args of [
			["-n", host, "link", "add", "vh", "type", "veth", "peer", "name", "vp", "netns", peer],
			["-n", host, "addr", "add", "10.9.0.1/24", "dev", "vh"],
			["-n", peer, "addr", "add", "10.9.0.2/24", "dev", "vp"],
			["-n", host, "link", "set", "vh", "up"],
			["-n", peer, "link", "set", "vp", "up"],
			["-n", host, "link", "set", "lo", "up"],
		]) {
			const r = run("ip", args);
			if (!r.ok) throw new Error(`ip ${args.join(" ")}: ${r.stderr}`);
		}
		const load = kind === "iptables" ? runIn(host, "iptables-legacy-restore", [], rules) : runIn(host, "nft", ["-f", "-"], rules);
		if (!load.ok) throw new Error(`loading ${kind}: ${load.stderr}`);
		const server = spawn("ip", ["netns", "exec", host, PYTHON, "-c", SERVER], { stdio: "ignore" });
		const ended = new Promise<void>((res) => server.on("exit", () => res()));
		await new Promise((res) => setTimeout(res, 400));
		const client = runIn(peer, PYTHON, ["-c", CLIENT], undefined, 10_000);
		if (!client.ok) throw new Error(`client: ${client.stderr}`);
		const line = runIn(host, "cat", ["/proc/net/nf_conntrack"]).stdout.split("\n").find((l) => l.includes("dport=8080"));
		await ended;
		const m = line === undefined ? null : /mark=(\d+)/.exec(line);
		return m === null ? undefined : Number(m[1]);
	} finally {
		g.destroy();
	}
}

const SKMARK = [
	"*mangle",
	":PREROUTING ACCEPT [0:0]",
	":INPUT ACCEPT [0:0]",
	":FORWARD ACCEPT [0:0]",
	":OUTPUT ACCEPT [0:0]",
	":POSTROUTING ACCEPT [0:0]",
	"-A PREROUTING -p tcp -m socket --nowildcard --restore-skmark -m tcp --dport 8081 -j ACCEPT",
	"-A PREROUTING -m mark --mark 0x42 -j CONNMARK --save-mark",
	"COMMIT",
	"",
].join("\n");

describe.skipIf(!support.ok)("socket --restore-skmark in the kernel", () => {
	it("the socket's mark is restored before the rule's later match fails, on both sides", async () => {
		const out = compile(SKMARK, { file: "t.rules" });
		expect(out.ok).toBe(true);
		expect(await skmark("iptables", SKMARK)).toBe(0x42);
		expect(await skmark("nft", out.output)).toBe(0x42);
		// Setting the mark only where the whole rule matches (one rule, as upstream writes it) loses it.
		const mutant = out.output.replace("socket transparent 0-1 meta mark set socket mark", "socket transparent 0-1 tcp dport 8081 meta mark set socket mark");
		expect(mutant).not.toBe(out.output);
		expect(await skmark("nft", mutant)).toBe(0);
	}, 60_000);
});
