/** Recognising the iptables tools in scripts and pasted shell sessions. */
import type { Family } from "../../compiler/ir/ipt.js";

const TOOL = /^(?:.*\/)?(ip6?tables)(?:-legacy|-nft)?$/;

/** The family of an iptables command word (`/sbin/iptables`, `ip6tables-legacy`, …), if it is one. */
export function toolFamily(word: string): Family | undefined {
	const m = TOOL.exec(word);
	if (m === null) return undefined;
	return m[1] === "ip6tables" ? "ip6" : "ip";
}
