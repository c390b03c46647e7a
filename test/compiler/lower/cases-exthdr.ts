/**
 * Golden cases (IR in, nft out) for -m hbh / dst / mh / ipcomp / tcpmss / ipv6header, so the
 * lowering guard in lower.test.ts sees every match kind. Text-level goldens, the txlate vectors
 * and the refusals are in exthdr.test.ts; spellings checked with nft 1.0.6 (`nft -c`).
 */
import { neg, port } from "../build.js";
import type { Case } from "./cases.js";

const tcp = 6;

export const EXTHDR_CASES: readonly Case[] = [
	// ip6t_hbh compares the length in bytes: 16 bytes is Hdr Ext Len 1.
	{ name: "hbh len in bytes", family: "ip6", rule: { matches: [{ kind: "hbh", len: neg(16) }], target: { kind: "drop" } }, nft: ["hbh hdrlength 1 drop"] },
	{ name: "dst alone: exists", family: "ip6", rule: { matches: [{ kind: "dst" }], target: { kind: "drop" } }, nft: ["exthdr dst exists drop"] },
	{ name: "mh type with the hotdrop rule in front", family: "ip6", rule: { proto: neg(135), matches: [{ kind: "mh", type: neg(port(1, 3)) }], target: { kind: "accept" } }, nft: ["mh nexthdr != 59 drop", "mh type 1-3 accept"] },
	{ name: "ipcomp cpi", rule: { proto: neg(108), matches: [{ kind: "ipcomp", spi: neg(port(18)) }], target: { kind: "accept" } }, nft: ["comp cpi 18 accept"] },
	{ name: "tcpmss negated: missing or other value", rule: { proto: neg(tcp), matches: [{ kind: "tcpmss", mss: neg(port(42), true) }], target: { kind: "drop" } }, nft: ["ip protocol tcp tcp option maxseg missing drop", "ip protocol tcp tcp option maxseg size != 42 drop"] },
	{ name: "ipv6header route --soft", family: "ip6", rule: { matches: [{ kind: "ipv6header", headers: 0x20, neg: false, soft: true }], target: { kind: "drop" } }, nft: ["exthdr rt exists drop"] },
];
