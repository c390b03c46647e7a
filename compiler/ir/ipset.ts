/**
 * What `ipset save` declares: sets with their type, options and elements, normalised like the
 * iptables IR (addresses as bigint, ports as numbers). Lowering turns them into nft named sets.
 */
import type { Span } from "./span.js";

/** One dimension of a set type (`hash:ip,port` has ["ip", "port"]). */
export type IpsetDim = "ip" | "net" | "port" | "mac" | "iface" | "mark";

export type IpsetPart =
	| { readonly kind: "addr"; readonly addr: bigint; readonly prefixLen: number }
	/** A port with its protocol (ipset stores both; tcp when not written). */
	| { readonly kind: "port"; readonly proto: number; readonly lo: number; readonly hi: number }
	| { readonly kind: "mac"; readonly mac: bigint }
	| { readonly kind: "iface"; readonly name: string }
	| { readonly kind: "mark"; readonly mark: number };

export interface IpsetElem {
	readonly parts: readonly IpsetPart[];
	/** Remaining seconds (`timeout N`), when the set has timeouts. */
	readonly timeout?: number;
	readonly nomatch: boolean;
	readonly span: Span;
}

export interface IpsetDecl {
	readonly name: string;
	/** `hash:ip,port` etc. as written. */
	readonly type: string;
	readonly dims: readonly IpsetDim[];
	readonly fam: 4 | 6;
	readonly timeout?: number;
	readonly counters: boolean;
	/** hash:ip netmask (prefix length the stored addresses are cut to). */
	readonly netmask?: number;
	readonly maxelem?: number;
	readonly elems: readonly IpsetElem[];
	readonly span: Span;
}

export interface IpsetCatalogue {
	readonly sets: ReadonlyMap<string, IpsetDecl>;
}
