/**
 * nft text the kernel or nft itself would refuse is refused by the simulator too (verify then
 * reports an input error instead of comparing a ruleset that never loads).
 */
import { describe, expect, it } from "vitest";
import { nftSide } from "../../../compiler/sim/nft/side.js";
import { parseNft } from "../../../grammar/nft/index.js";
import { nftCheck } from "../../helpers/nft-check.js";

const codes = (text: string): string[] => {
	const p = parseNft(text, "t.nft");
	expect(p.diagnostics).toEqual([]);
	return nftSide(p.ast).diagnostics.map((d) => d.code);
};

describe("refused nft", () => {
	it("a NAT port needs a transport protocol match before it (as nft -c says)", () => {
		const bad = "table ip nat {\n\tchain pre {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tip daddr 10.0.0.1 dnat to 10.0.0.2:80\n\t}\n}\n";
		expect(nftCheck(bad).ok).toBe(false);
		expect(codes(bad)).toEqual(["nft_rule_refused"]);
		for (const dep of ["meta l4proto tcp", "ip protocol udp", "tcp dport 8080"]) {
			const good = bad.replace("ip daddr 10.0.0.1 ", `ip daddr 10.0.0.1 ${dep} `);
			expect(nftCheck(good).ok).toBe(true);
			expect(codes(good)).toEqual([]);
		}
		// `th dport` names no protocol: nft still refuses
		const th = bad.replace("ip daddr 10.0.0.1 ", "ip daddr 10.0.0.1 th dport 8080 ");
		expect(nftCheck(th).ok).toBe(false);
		expect(codes(th)).toEqual(["nft_rule_refused"]);
		// no port: no protocol needed
		expect(codes(bad.replace(":80", ""))).toEqual([]);
	});

	it("a nat chain at priority -200 or lower (the kernel says EOPNOTSUPP)", () => {
		const t = (p: number): string => `table ip nat {\n\tchain pre {\n\t\ttype nat hook prerouting priority ${p}; policy accept;\n\t}\n}\n`;
		expect(codes(t(-200))).toEqual(["nft_chain_refused"]);
		expect(codes(t(-400))).toEqual(["nft_chain_refused"]);
		expect(codes(t(-199))).toEqual([]);
		expect(codes(t(-100))).toEqual([]);
	});
});
