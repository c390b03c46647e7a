/** Test helpers: packets, an evaluation context that records everything, and a choose() enumerator. */
import { parseNft } from "../../../../grammar/nft/index.js";
import type { EvalContext, Host, Hook, LogLine, NatAction, TraceStep, ChainOutcome } from "../../../../compiler/sim/model.js";
import type { Packet } from "../../../../compiler/sim/packet.js";
import { nftSide, type NftSide } from "../../../../compiler/sim/nft/index.js";
import { parseIpv4, parseIpv6 } from "../../../../grammar/nft/symbols.js";

export function ip(s: string): bigint {
	const v = s.includes(":") ? parseIpv6(s) : parseIpv4(s);
	if (v === undefined) throw new Error(`bad address ${s}`);
	return v;
}

export function pkt(o: Partial<Packet> = {}): Packet {
	return {
		fam: 4,
		saddr: ip("10.0.0.1"),
		daddr: ip("10.0.0.2"),
		proto: 6,
		sport: 40000,
		dport: 22,
		tcpFlags: 0x02,
		tcpOptions: [2],
		icmpType: 0,
		icmpCode: 0,
		length: 60,
		fragOffset: 0,
		moreFragments: false,
		ttl: 64,
		dscp: 0,
		ecn: 0,
		iif: "eth0",
		oif: undefined,
		srcMac: 0x0a123e4fb2c6n,
		pkttype: "unicast",
		mark: 0,
		uid: undefined,
		gid: undefined,
		ct: { state: "new", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 },
		overLimit: false,
		...o,
	};
}

export const HOST: Host = {
	interfaces: [
		{ name: "lo", addrs: [{ fam: 4, addr: ip("127.0.0.1"), len: 8 }] },
		{ name: "eth0", addrs: [{ fam: 4, addr: ip("10.0.0.2"), len: 24 }] },
		{ name: "eth1", addrs: [{ fam: 4, addr: ip("192.168.1.1"), len: 24 }] },
	],
	routes: [
		{ fam: 4, dst: ip("10.0.0.0"), len: 24, dev: "eth0" },
		{ fam: 4, dst: ip("192.168.1.0"), len: 24, dev: "eth1" },
		{ fam: 4, dst: 0n, len: 0, dev: "eth1" },
	],
};

export interface Recorder extends EvalContext {
	readonly traces: TraceStep[];
	readonly logs: LogLine[];
	readonly nats: NatAction[];
}

export function ctx(hook: Hook = "input", choose: (p: number) => boolean = () => true): Recorder {
	const traces: TraceStep[] = [];
	const logs: LogLine[] = [];
	const nats: NatAction[] = [];
	return {
		host: HOST,
		hook,
		choose,
		trace: (s) => traces.push(s),
		log: (l) => logs.push(l),
		nat: (a) => nats.push(a),
		addrType(fam, addr) {
			for (const i of HOST.interfaces) for (const a of i.addrs) if (a.fam === fam && a.addr === addr) return "local";
			if (fam === 4 && addr >> 28n === 0xen) return "multicast";
			return "unicast";
		},
		traces,
		logs,
		nats,
	};
}

export function side(text: string): NftSide {
	const { ast, diagnostics } = parseNft(text, "test.nft");
	if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => `${d.span?.line}:${d.span?.col} ${d.message}`).join("\n"));
	return nftSide(ast);
}

/** Runs every base chain of a hook in priority order, as the path does: stop at the first non-accept. */
export function runHook(s: NftSide, hook: Hook, p: Packet, c: Recorder = ctx(hook)): ChainOutcome {
	for (const ch of s.baseChains(hook, p.fam)) {
		const out = ch.run(p, c);
		if (out.kind !== "accept") return out;
	}
	return { kind: "accept" };
}

/** Explores every choose() branch; returns each distinct result with its exact probability. */
export function enumerate<R>(f: (choose: (p: number) => boolean) => R, key: (r: R) => string): Map<string, number> {
	const out = new Map<string, number>();
	const stack: boolean[][] = [[]];
	while (stack.length > 0) {
		const prefix = stack.pop()!;
		let i = 0;
		let prob = 1;
		const r = f((p) => {
			if (i < prefix.length) {
				const b = prefix[i++]!;
				prob *= b ? p : 1 - p;
				return b;
			}
			// New branch point: take "true" now, queue the "false" alternative.
			stack.push([...prefix.slice(0, i), false]);
			prefix.push(true);
			i++;
			prob *= p;
			return true;
		});
		const k = key(r);
		out.set(k, (out.get(k) ?? 0) + prob);
	}
	return out;
}
