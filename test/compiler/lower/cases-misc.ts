/**
 * Golden cases for TEE (`dup`), TRACE (`meta nftrace set 1`), CONNMARK revision 2 shifts and
 * socket --restore-skmark. Spellings checked with nft 1.0.6 (`nft -c`; `nft list` prints the
 * shifts with the same parentheses). Upstream's txlate for the CONNMARK shift,
 * `( ct mark xor 0x23 and 0xffffff9c ) >> 5`, parses as ct mark ^ (0x23 & 0xffffff9c) in nft
 * (`and` binds tighter than `xor`): here the mask comes first.
 */
import type * as ipt from "../../../compiler/ir/ipt.js";
import { ip4, ip6, neg, port } from "../build.js";
import type { Case } from "./cases.js";

const tcp = 6;
const mangle = { table: "mangle", chain: "PREROUTING" } as const;
const socket = (o: Partial<ipt.SocketMatch> = {}): ipt.SocketMatch => ({ kind: "socket", transparent: false, nowildcard: false, restoreSkmark: true, ...o });

export const MISC_CASES: readonly Case[] = [
	// ----- TEE / TRACE
	{ name: "TEE gateway", ...mangle, rule: { target: { kind: "tee", fam: 4, gateway: ip4("192.0.2.1") } }, nft: ["dup to 192.0.2.1"] },
	{ name: "TEE ip6 gateway with oif (device looked up at load time)", family: "ip6", ...mangle, rule: { target: { kind: "tee", fam: 6, gateway: ip6("ab12:a1:1112:acba::"), oif: "lo" } }, nft: ['dup to ab12:a1:1112:acba:: device "lo"'], codes: ["assumed_host_state"] },
	{ name: "TEE in filter INPUT after a match", rule: { proto: neg(tcp), matches: [{ kind: "tcp", dport: neg(port(22)) }], target: { kind: "tee", fam: 4, gateway: ip4("10.9.9.9") } }, nft: ["tcp dport 22 dup to 10.9.9.9"] },
	{ name: "TEE oif with a quote refused", ...mangle, rule: { target: { kind: "tee", fam: 4, gateway: ip4("192.0.2.1"), oif: 'e"0' } }, nft: [], codes: ["unsafe_string"] },
	{ name: "TEE oif with * refused (nft wildcard)", ...mangle, rule: { target: { kind: "tee", fam: 4, gateway: ip4("192.0.2.1"), oif: "eth*" } }, nft: [], codes: ["unsafe_string"] },
	{ name: "TRACE", table: "raw", chain: "PREROUTING", rule: { target: { kind: "trace" } }, nft: ["meta nftrace set 1"] },
	{ name: "TRACE after a match", table: "raw", chain: "OUTPUT", rule: { proto: neg(tcp), matches: [{ kind: "tcp", dport: neg(port(80)) }], target: { kind: "trace" } }, nft: ["tcp dport 80 meta nftrace set 1"] },
	// ----- CONNMARK shifts
	{ name: "CONNMARK set-mark right shift", ...mangle, rule: { target: { kind: "connmark-set", value: 0x23, mask: 0x63, shift: { dir: "right", bits: 5 } } }, nft: ["ct mark set (ct mark & 0xffffff9c ^ 0x00000023) >> 5"] },
	{ name: "CONNMARK set constant shifted is a constant", ...mangle, rule: { target: { kind: "connmark-set", value: 0x80000010, mask: 0xffffffff, shift: { dir: "left", bits: 4 } } }, nft: ["ct mark set 0x00000100"] },
	{ name: "CONNMARK or-mark left shift", ...mangle, rule: { target: { kind: "connmark-set", value: 1, mask: 1, shift: { dir: "left", bits: 31 } } }, nft: ["ct mark set (ct mark | 0x00000001) << 31"] },
	{ name: "CONNMARK save nfmask left shift", ...mangle, rule: { target: { kind: "connmark-save", nfmask: 0xff, ctmask: 0xffffffff, shift: { dir: "left", bits: 8 } } }, nft: ["ct mark set (meta mark & 0x000000ff) << 8"] },
	{ name: "CONNMARK save whole mark right shift", ...mangle, rule: { target: { kind: "connmark-save", nfmask: 0xffffffff, ctmask: 0xffffffff, shift: { dir: "right", bits: 1 } } }, nft: ["ct mark set meta mark >> 1"] },
	{ name: "CONNMARK restore ctmask right shift", ...mangle, rule: { target: { kind: "connmark-restore", nfmask: 0xffffffff, ctmask: 0xff00, shift: { dir: "right", bits: 8 } } }, nft: ["meta mark set (ct mark & 0x0000ff00) >> 8"] },
	{ name: "CONNMARK save nfmask 0: a shifted 0 changes nothing", ...mangle, rule: { target: { kind: "connmark-save", nfmask: 0, ctmask: 0xff, shift: { dir: "left", bits: 3 } } }, nft: ["ct mark set ct mark & 0xffffff00"] },
	{ name: "CONNMARK save shift mixing both marks refused", ...mangle, rule: { target: { kind: "connmark-save", nfmask: 0xff, ctmask: 0xff00, shift: { dir: "left", bits: 8 } } }, nft: [], codes: ["unsupported_option"] },
	// ----- socket --restore-skmark
	{ jsonUnsupported: true, name: "socket restore-skmark, last match: inline", ...mangle, rule: { matches: [socket()], target: { kind: "accept" } }, nft: ["socket wildcard 0 meta mark set socket mark accept"], codes: ["lossy_translation"] },
	{ jsonUnsupported: true, name: "socket restore-skmark transparent, last", ...mangle, rule: { proto: neg(tcp), matches: [socket({ transparent: true })] }, nft: ["ip protocol tcp socket wildcard 0 socket transparent 1 meta mark set socket mark"], codes: ["lossy_translation"] },
	// TIME_WAIT sockets match with --nowildcard but have no mark (`socket mark` BREAKs): own rule.
	{ jsonUnsupported: true, name: "socket restore-skmark nowildcard: the mark in a rule of its own", ...mangle, rule: { matches: [socket({ nowildcard: true })], target: { kind: "accept" } }, nft: ["socket transparent 0-1 meta mark set socket mark", "socket transparent 0-1 accept"] },
	{ jsonUnsupported: true, name: "socket restore-skmark nowildcard, no target: one rule", ...mangle, rule: { matches: [socket({ nowildcard: true, transparent: true })] }, nft: ["socket transparent 1 meta mark set socket mark"] },
	{ jsonUnsupported: true, name: "socket restore-skmark with counters: the prelude does not count", ...mangle, counters: true, rule: { matches: [socket({ nowildcard: true })], target: { kind: "drop" } }, nft: ["socket transparent 0-1 meta mark set socket mark", "socket transparent 0-1 counter drop"] },
	{ jsonUnsupported: true, name: "socket restore-skmark before other matches: set first, match after", ...mangle, rule: { proto: neg(tcp), matches: [socket(), { kind: "tcp", dport: neg(port(80)) }, { kind: "mark", mark: neg({ value: 1, mask: 0xffffffff }) }], target: { kind: "accept" } }, nft: ["ip protocol tcp socket wildcard 0 meta mark set socket mark", "socket wildcard 0 tcp dport 80 meta mark 0x00000001 accept"], codes: ["lossy_translation"] },
	{ jsonUnsupported: true, name: "socket restore-skmark before a match that never holds: the mark still set", family: "ip6", ...mangle, rule: { matches: [socket({ nowildcard: true }), { kind: "rt", len: neg(22) }], target: { kind: "accept" } }, nft: ["socket transparent 0-1 meta mark set socket mark"], codes: ["lossy_translation"] },
	{ name: "socket restore-skmark after a mark match refused", ...mangle, rule: { matches: [{ kind: "mark", mark: neg({ value: 1, mask: 0xffffffff }) }, socket({ nowildcard: true })], target: { kind: "accept" } }, nft: [], codes: ["unsupported_option"] },
	{ name: "socket restore-skmark after a limit refused", ...mangle, rule: { matches: [{ kind: "limit", rate: 1, unit: "second", burst: 5 }, socket({ nowildcard: true })], target: { kind: "accept" } }, nft: [], codes: ["unsupported_option"] },
];
