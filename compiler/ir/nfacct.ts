/**
 * What `nfacct list` reports: the host's extended accounting objects (nfnetlink_acct). They are
 * global to the network namespace, shared by every table, family and tool that names them.
 */
import type { Span } from "./span.js";

/** A quota: the object is over it once its packet or byte count exceeds `limit`. */
export interface NfacctQuota {
	readonly mode: "bytes" | "packets";
	readonly limit: bigint;
	/** `overquota = yes`: the kernel has already reported crossing the quota. */
	readonly over: boolean;
}

export interface NfacctObject {
	readonly name: string;
	readonly pkts: bigint;
	readonly bytes: bigint;
	readonly quota?: NfacctQuota;
	readonly span: Span;
}

export interface NfacctCatalogue {
	readonly objects: ReadonlyMap<string, NfacctObject>;
}
