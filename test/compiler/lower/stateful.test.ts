/**
 * Stateful extensions across rules: recent lists shared by several rules (timeout classes),
 * hashlimit names shared by rules, ipsets from an `ipset save` catalogue. Real parser, lowering,
 * both emitters, and the real `nft -c` (text and JSON).
 */
import { describe, expect, it } from "vitest";
import type { IpsetCatalogue } from "../../../compiler/ir/ipset.js";
import { emitJson } from "../../../compiler/emit/json.js";
import { emitText } from "../../../compiler/emit/text.js";
import { lower } from "../../../compiler/lower/index.js";
import { ipsetCatalogue, parseIpsetSave } from "../../../grammar/ipset/index.js";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { nftCheck } from "../../helpers/nft-check.js";

function run(rules: string, ipsets?: IpsetCatalogue): { text: string; codes: string[]; json: string } {
	const p = parseIptables(rules, { file: "t.rules", family: "ip", format: "save" });
	expect(p.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
	const l = lower(p.ruleset, { counters: false, ...(ipsets !== undefined ? { ipsets } : {}) });
	return { text: emitText(l.ruleset, { preamble: "none" }), codes: l.diagnostics.map((d) => d.code), json: emitJson(l.ruleset) };
}

const SSH = `*filter
:INPUT DROP [0:0]
-A INPUT -p tcp --dport 22 -m recent --set --name ssh --rsource
-A INPUT -p tcp --dport 22 -m recent --update --seconds 60 --name ssh --rsource -j DROP
-A INPUT -m recent --rcheck --seconds 3600 --name ssh -j LOG
-A INPUT -m recent --rcheck --name ssh -j ACCEPT
-A INPUT -p udp -m recent --remove --name ssh
COMMIT
`;

describe("recent: one set per --seconds class, every stamp refreshes all", () => {
	it("emits the classes and the refresh/delete statements", () => {
		const r = run(SSH);
		expect(r.codes).toEqual([]);
		expect(r.text).toContain("set recent_ssh_60s {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 60s\n\t}");
		expect(r.text).toContain("set recent_ssh_forever {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic\n\t}");
		expect(r.text).toContain("tcp dport 22 update @recent_ssh_60s { ip saddr } update @recent_ssh_3600s { ip saddr } update @recent_ssh_forever { ip saddr }\n");
		expect(r.text).toContain("tcp dport 22 ip saddr @recent_ssh_60s update @recent_ssh_60s { ip saddr } update @recent_ssh_3600s { ip saddr } update @recent_ssh_forever { ip saddr } drop\n");
		expect(r.text).toContain("ip saddr @recent_ssh_3600s log");
		expect(r.text).toContain("ip saddr @recent_ssh_forever accept");
		expect(r.text).toContain("ip protocol udp ip saddr @recent_ssh_forever delete @recent_ssh_60s { ip saddr } delete @recent_ssh_3600s { ip saddr } delete @recent_ssh_forever { ip saddr }");
		const c = nftCheck(r.text);
		expect(c.stderr).toBe("");
		const j = nftCheck(r.json, { json: true });
		expect(j.stderr).toBe("");
	});

	it("--reap with several classes is refused; with one class it is exact", () => {
		const two = run(SSH.replace("--rcheck --seconds 3600 --name ssh", "--rcheck --seconds 3600 --reap --name ssh"));
		expect(two.codes).toEqual(["inexpressible"]);
		const one = run(`*nat\n:PREROUTING ACCEPT [0:0]\n:SEP - [0:0]\n-A PREROUTING -m recent --name X --rcheck --seconds 10800 --reap -j SEP\n-A SEP -p tcp -m recent --name X --set -j DNAT --to-destination 10.0.0.3:80\nCOMMIT\n`);
		expect(one.codes).toEqual([]);
		expect(one.text).toContain("ip saddr @recent_X jump SEP");
		expect(one.text).toContain("update @recent_X { ip saddr } dnat to 10.0.0.3:80");
		expect(nftCheck(one.text).stderr).toBe("");
	});

	it("a list used from two tables, or with different masks, is refused", () => {
		const tables = run(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m recent --set --name L\nCOMMIT\n*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m recent --rcheck --name L -j DROP\nCOMMIT\n`);
		expect(tables.codes).toEqual(["inexpressible", "inexpressible"]);
		const masks = run(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m recent --set --name L --mask 255.255.255.0\n-A INPUT -m recent --rcheck --name L -j DROP\nCOMMIT\n`);
		expect(masks.codes).toEqual(["inexpressible", "inexpressible"]);
	});
});

describe("hashlimit: buckets shared per name", () => {
	it("same options share one set; different options are refused", () => {
		const base = "-p tcp -m hashlimit --hashlimit-above 20/sec --hashlimit-burst 10 --hashlimit-mode srcip,dstport --hashlimit-name web --hashlimit-htable-expire 31991 -j DROP";
		const same = run(`*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n-A INPUT ${base}\n-A FORWARD ${base}\nCOMMIT\n`);
		expect(same.codes).toEqual([]);
		expect(same.text.match(/set hashlimit_web \{/g)).toHaveLength(1);
		expect(same.text).toContain("timeout 32s");
		expect(same.text).toContain("ip protocol tcp update @hashlimit_web { ip saddr . tcp dport limit rate over 20/second burst 10 packets } drop");
		expect(nftCheck(same.text).stderr).toBe("");
		expect(nftCheck(same.json, { json: true }).stderr).toBe("");
		const differ = run(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${base}\n-A INPUT ${base.replace("20/sec", "30/sec")}\nCOMMIT\n`);
		expect(differ.codes).toEqual(["inexpressible", "inexpressible"]);
	});
});

describe("ipset with a catalogue", () => {
	const SAVE = `create blocked hash:net family inet hashsize 1024 maxelem 65536 counters
add blocked 10.0.0.0/8
add blocked 192.0.2.1
create web hash:ip,port family inet hashsize 1024 maxelem 65536 timeout 300
add web 198.51.100.7,tcp:443 timeout 300
add web 198.51.100.8,udp:1000-1010 timeout 300
create seen hash:ip family inet hashsize 1024 maxelem 65536 timeout 600
create odd hash:ip,port family inet hashsize 1024 maxelem 65536
add odd 1.2.3.4,icmp:8/0
create nm hash:net family inet hashsize 1024 maxelem 65536
add nm 10.0.0.0/8
add nm 10.1.0.0/16 nomatch
`;
	const cat = ipsetCatalogue(parseIpsetSave(SAVE, "sets.save").sets);

	it("declares typed sets and lowers matches and SET", () => {
		const r = run(
			`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set blocked src -j DROP\n-A INPUT -m set --match-set web dst,dst -j ACCEPT\n-A INPUT -p tcp --dport 22 -j SET --add-set seen src --exist --timeout 60\n-A INPUT -m set ! --match-set seen src -j DROP\nCOMMIT\n`,
			cat,
		);
		expect(r.codes).toEqual([]);
		expect(r.text).toContain("set ipset_blocked {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tcounter\n\t\telements = { 10.0.0.0/8, 192.0.2.1 }");
		expect(r.text).toContain("type ipv4_addr . inet_proto . inet_service\n\t\tflags interval,timeout\n\t\ttimeout 300s");
		expect(r.text).toContain("ip saddr @ipset_blocked drop");
		expect(r.text).toContain("ip daddr . meta l4proto . th dport @ipset_web accept");
		expect(r.text).toContain("tcp dport 22 update @ipset_seen { ip saddr timeout 60s }");
		expect(r.text).toContain("ip saddr != @ipset_seen drop");
		expect(nftCheck(r.text).stderr).toBe("");
		expect(nftCheck(r.json, { json: true }).stderr).toBe("");
	});

	it("refuses what nft cannot do", () => {
		const codes = (rule: string): string[] => run(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${rule}\nCOMMIT\n`, cat).codes;
		expect(codes("-m set --match-set odd src,dst -j DROP")).toEqual(["inexpressible"]);
		expect(codes("-m set --match-set nm src -j DROP")).toEqual(["inexpressible"]);
		expect(codes("-j SET --add-set blocked src")).toEqual(["inexpressible"]);
		expect(codes("-m set --match-set nosuch src -j DROP")).toEqual(["host_object_missing"]);
		expect(codes("-j SET --add-set web src,dst")).toEqual(["inexpressible"]);
	});
});
