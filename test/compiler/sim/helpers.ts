import { expect } from "vitest";
import { parseIptables } from "../../../grammar/iptables/index.js";
import type { Fam } from "../../../compiler/ir/ipt.js";
import { defaultHost, HostTables } from "../../../compiler/sim/host.js";
import { iptHostHints } from "../../../compiler/sim/ipt/boundary.js";
import { iptSide, type IptSide } from "../../../compiler/sim/ipt/side.js";
import type { ChainOutcome, EvalContext, Hook, Host, LogLine, NatAction, TraceStep } from "../../../compiler/sim/model.js";
import type { Packet } from "../../../compiler/sim/packet.js";
import type * as ipt from "../../../compiler/ir/ipt.js";

export function parse(text: string): ipt.Ruleset {
	const r = parseIptables(text, { file: "t.rules" });
	expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
	return r.ruleset;
}

export function side(text: string): IptSide {
	return iptSide(parse(text));
}

export function hostFor(text: string): Host {
	return defaultHost(iptHostHints(parse(text)));
}

export interface TestCtx extends EvalContext {
	steps: TraceStep[];
	logs: LogLine[];
	nats: NatAction[];
}

export function testCtx(host: Host, hook: Hook, answers: boolean[] = []): TestCtx {
	const tables = new HostTables(host);
	const ctx: TestCtx = {
		host,
		hook,
		steps: [],
		logs: [],
		nats: [],
		choose: () => answers.shift() ?? false,
		trace: (s) => ctx.steps.push(s),
		log: (l) => ctx.logs.push(l),
		nat: (a) => ctx.nats.push(a),
		addrType: (fam, addr, dev) => tables.addrType(fam, addr, dev),
	};
	return ctx;
}

/** Runs the one base chain of `table` for `hook`; returns the chain outcome. */
export function runChain(s: IptSide, hook: Hook, fam: Fam, pkt: Packet, ctx: EvalContext): ChainOutcome {
	const chains = s.baseChains(hook, fam);
	expect(chains.length).toBe(1);
	return chains[0]!.run(pkt, ctx);
}

/** Does `-A INPUT <spec> -j DROP` drop this packet? (filter INPUT, or the given table/chain) */
export function matches(spec: string, pkt: Packet, opts: { table?: string; chain?: string; fam?: Fam; host?: Host } = {}): boolean {
	const table = opts.table ?? "filter";
	const chain = opts.chain ?? "INPUT";
	const fam = opts.fam ?? pkt.fam;
	const text = `*${table}\n:${chain} ACCEPT [0:0]\n-A ${chain} ${spec} -j DROP\nCOMMIT\n`;
	const r = parseIptables(text, { file: "t.rules", family: fam === 4 ? "ip" : "ip6" });
	expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
	const s = iptSide(r.ruleset);
	expect(s.unsupported).toEqual([]);
	const host = opts.host ?? defaultHost({ ifaces: ["eth1"], addrs: [] });
	const hook = chain.toLowerCase() as Hook;
	return runChain(s, hook, fam, pkt, testCtx(host, hook)).kind === "drop";
}
