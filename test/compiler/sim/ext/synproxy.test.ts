/**
 * SYNPROXY on both sides: xt_SYNPROXY and nft's `synproxy` share nf_synproxy's core but pick
 * different packets (xt: a bare SYN or a bare ACK; nft: any SYN, any other ACK). ipt2nft's flag
 * guard makes them agree; upstream's unguarded translation and a changed option are caught.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../../compiler/index.js";
import { verifyTexts } from "../../../../compiler/verify.js";
import { nftCheck } from "../../../helpers/nft-check.js";

const RULES = [
	"*raw",
	":PREROUTING ACCEPT [0:0]",
	"-A PREROUTING -p tcp -m tcp --dport 80 --tcp-flags FIN,SYN,RST,ACK SYN -j CT --notrack",
	"COMMIT",
	"*filter",
	":INPUT ACCEPT [0:0]",
	"-A INPUT -p tcp -m tcp --dport 80 -m state --state INVALID,UNTRACKED -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460",
	"-A INPUT -p tcp -m tcp --dport 443 -j SYNPROXY --mss 1400",
	"-A INPUT -p tcp -m tcp --dport 80 -m state --state INVALID -j DROP",
	"COMMIT",
	"",
].join("\n");

const raw = `table ip raw {\n\tchain PREROUTING {\n\t\ttype filter hook prerouting priority raw; policy accept;\n\t\ttcp dport 80 tcp flags & (fin | syn | rst | ack) == syn notrack\n\t}\n}\n`;
const filter = (r80: string, r443: string): string =>
	`${raw}table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy accept;\n\t\t${r80}\n\t\t${r443}\n\t\ttcp dport 80 ct state invalid drop\n\t}\n}\n`;

function verify(nft: string) {
	const r = verifyTexts(RULES, nft, { oldFile: "t.rules", newFile: "t.nft", packets: 4000, conntrack: true });
	if (r.kind === "input-error") throw new Error(r.diagnostics.map((d) => d.message).join("; "));
	return r.result;
}

describe("SYNPROXY", () => {
	const out = compile(RULES, { file: "t.rules" });

	it("translates with the flag guard, loads, and verifies equal", () => {
		expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
		expect(out.ok).toBe(true);
		expect(out.output).toContain("tcp dport 80 ct state invalid,untracked tcp flags & (fin|syn|rst|ack) == { syn, ack } synproxy mss 1460 wscale 7 timestamp sack-perm");
		expect(nftCheck(out.output).stderr).toBe("");
		expect(verify(out.output).equal).toBe(true);
	});

	const guard = "tcp flags & (fin | syn | rst | ack) { syn, ack }";
	const good80 = `tcp dport 80 ct state { invalid, untracked } ${guard} synproxy mss 1460 wscale 7 timestamp sack-perm`;
	const good443 = `tcp dport 443 ${guard} synproxy mss 1400`;

	it("the hand-written reference verifies equal (the mutants below differ from it in one thing)", () => {
		expect(verify(filter(good80, good443)).equal).toBe(true);
	});

	it("without the guard (upstream's translation) SYN/ACKs and FIN/ACKs are decided differently", () => {
		const r = verify(filter(good80, "tcp dport 443 synproxy mss 1400"));
		expect(r.equal).toBe(false);
	});

	it("a different MSS, a lost timestamp or a lost wscale is caught", () => {
		expect(verify(filter(good80.replace("mss 1460", "mss 1461"), good443)).equal).toBe(false);
		expect(verify(filter(good80.replace(" timestamp", ""), good443)).equal).toBe(false);
		expect(verify(filter(good80.replace(" wscale 7", ""), good443)).equal).toBe(false);
	});
});
