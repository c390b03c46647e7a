/**
 * The contract between the packet path (path.ts) and the two evaluators (iptables IR, parsed nft
 * text). The path owns hooks, routing, conntrack and NAT bookkeeping; an evaluator owns only
 * "run this base chain on this packet".
 */
import type { Fam } from "../ir/ipt.js";
import type { Diagnostic } from "../ir/diagnostics.js";
import type { Span } from "../ir/span.js";
import type { Packet } from "./packet.js";

export type Hook = "prerouting" | "input" | "forward" | "output" | "postrouting";
export const HOOKS: readonly Hook[] = ["prerouting", "input", "forward", "output", "postrouting"];

/** How a base chain let the packet go. `accept` only ends this base chain. */
export type ChainOutcome =
	| { readonly kind: "accept" }
	| { readonly kind: "drop" }
	/**
	 * `with`: what the kernel sends, spelled as iptables' --reject-with names: icmp-port-unreachable,
	 * icmp-host-prohibited, icmp-admin-prohibited…, icmp6-port-unreachable, icmp6-adm-prohibited…,
	 * tcp-reset (the nft side maps nft's icmp/icmpv6/icmpx codes onto these).
	 */
	| { readonly kind: "reject"; readonly with: string }
	| { readonly kind: "queue"; readonly num: number; readonly bypass: boolean }
	/**
	 * The kernel took the packet over (NF_STOLEN, or a drop decided by the same kernel code on
	 * both sides): `by` says what it does with it, e.g. SYNPROXY's SYN/ACK with its options.
	 */
	| { readonly kind: "stolen"; readonly by: string };

/** NAT requested by a rule; the path applies it to the packet and records it in conntrack. */
export type NatAction =
	| {
			readonly kind: "dnat" | "snat";
			readonly addrLo?: bigint;
			readonly addrHi?: bigint;
			readonly portLo?: number;
			readonly portHi?: number;
	  }
	/**
	 * NETMAP (`dnat|snat prefix to`): the network bits (netmask = ~(addrLo ^ addrHi)) become
	 * addrLo's, the host bits of the packet's address stay. `manip` absent: the hook decides
	 * (xt_NETMAP: destination in prerouting/output, source in input/postrouting).
	 */
	| { readonly kind: "netmap"; readonly manip?: "dst" | "src"; readonly addrLo: bigint; readonly addrHi: bigint }
	| { readonly kind: "masquerade"; readonly portLo?: number; readonly portHi?: number }
	| { readonly kind: "redirect"; readonly portLo?: number; readonly portHi?: number };

export interface LogLine {
	readonly kind: "log" | "nflog";
	readonly prefix: string;
	/** syslog level for log, group for nflog. */
	readonly level: number;
}

/**
 * A copy of the packet routed to a gateway (xt_TEE, nft `dup`), as the packet was when copied;
 * the packet itself goes on. The path records the hook.
 */
export interface DupAction {
	readonly gateway: bigint;
	/** --oif / `device`: the copy leaves through this device. */
	readonly dev?: string;
	readonly mark: number;
}

/** One rule (or policy) a packet hit, with where it came from. */
export interface TraceStep {
	readonly side: string;
	readonly chain: string;
	/** Human text of the rule (input line for iptables, rule text for nft). */
	readonly rule: string;
	readonly span?: Span;
	readonly verdict?: string;
}

export interface HostInterface {
	readonly name: string;
	/** Addresses with prefix length, both families. */
	readonly addrs: readonly { readonly fam: Fam; readonly addr: bigint; readonly len: number }[];
	readonly mac?: bigint;
	/** Bridge master name, when this port is enslaved (docker veth in docker0). */
	readonly bridge?: string;
	/** Device group (`ip link set DEV group N`; devgroup / meta iifgroup); absent: 0. */
	readonly group?: number;
}

export interface Route {
	readonly fam: Fam;
	readonly dst: bigint;
	readonly len: number;
	readonly dev: string;
}

export interface Host {
	readonly interfaces: readonly HostInterface[];
	/** Longest prefix wins; a default route has len 0. */
	readonly routes: readonly Route[];
}

export interface EvalContext {
	readonly host: Host;
	readonly hook: Hook;
	/** A random branch (statistic, numgen): the driver explores both and weighs outcomes by p. */
	choose(probability: number): boolean;
	trace(step: TraceStep): void;
	/**
	 * Optional: false when nobody reads the trace (bulk corpus runs), so evaluators can skip
	 * building TraceStep objects on the hot path. Absent means true.
	 */
	readonly tracing?: boolean;
	/**
	 * Optional: told how many rules the evaluator examined, counted the way the kernel walks a
	 * chain (every rule before the one that ends it), whatever index the evaluator uses; for the
	 * "rule evaluations per packet" statistic that compares linear iptables with nft sets/vmaps.
	 */
	countRules?(n: number): void;
	/**
	 * Optional: changes when a new scenario run starts (a flow's packets share one run). State
	 * that lives across packets (xt_recent lists, nft dynamic sets) starts empty in every run.
	 * Absent: the state lives as long as the context.
	 */
	readonly run?: number;
	log(line: LogLine): void;
	/** Optional: a rule sent a copy of the packet to a gateway (TEE, `dup`). Absent: not recorded. */
	dup?(action: DupAction): void;
	/** Called by a NAT rule; the evaluator then ends the chain with accept, as the kernel does. */
	nat(action: NatAction): void;
	/**
	 * The kernel's address type (addrtype / fib daddr type). With `dev` (addrtype --limit-iface-in/out,
	 * fib ... iif/oif) an address counts as local/broadcast only when its local-table entry is on `dev`.
	 * IPv4 follows inet_dev_addr_type: 0.0.0.0/8 and 255.255.255.255 are "broadcast".
	 */
	addrType(fam: Fam, addr: bigint, dev?: string): "local" | "broadcast" | "multicast" | "unicast" | "unspec";
}

export interface SimBaseChain {
	readonly priority: number;
	/** nat chains run only for a connection's first packet. */
	readonly type: "filter" | "nat" | "route";
	/** e.g. `ip filter INPUT` or `table inet fw chain input`. */
	readonly label: string;
	run(pkt: Packet, ctx: EvalContext): ChainOutcome;
}

/** One side of a comparison (or one tool on a host where both run). */
export interface SimSide {
	readonly name: string;
	/** Base chains for the hook and family, ascending priority, stable for equal priorities. */
	baseChains(hook: Hook, fam: Fam): readonly SimBaseChain[];
	/**
	 * Parts of the input this side cannot evaluate exactly (unknown matches/targets, jump loops).
	 * `verify()` refuses to compare when any side reports some.
	 */
	readonly unsupported?: readonly Diagnostic[];
}
