import { describe, expect, it } from "vitest";
import { ipsetCatalogue, parseIpsetSave } from "../../../grammar/ipset/index.js";

const SAVE = `create blocked hash:net family inet hashsize 1024 maxelem 65536 counters
add blocked 10.0.0.0/8 packets 3 bytes 180
add blocked 192.0.2.1
create web hash:ip,port family inet hashsize 1024 maxelem 65536 timeout 300
add web 198.51.100.7,tcp:443 timeout 120
add web 198.51.100.7,80
add web 198.51.100.8,udp:1000-1010
create macs hash:mac hashsize 1024 maxelem 65536
add macs 00:11:22:33:44:55
create v6 hash:ip family inet6 hashsize 1024 maxelem 65536 netmask 64
add v6 2001:db8::1
`;

describe("ipset save parser", () => {
	it("reads types, options and elements", () => {
		const r = parseIpsetSave(SAVE, "sets.save");
		expect(r.diagnostics).toEqual([]);
		const c = ipsetCatalogue(r.sets);
		const blocked = c.sets.get("blocked")!;
		expect(blocked.dims).toEqual(["net"]);
		expect(blocked.counters).toBe(true);
		expect(blocked.elems.map((e) => e.parts)).toEqual([[{ kind: "addr", addr: 0x0a000000n, prefixLen: 8 }], [{ kind: "addr", addr: 0xc0000201n, prefixLen: 32 }]]);
		const web = c.sets.get("web")!;
		expect(web.timeout).toBe(300);
		expect(web.elems[0]).toMatchObject({ timeout: 120, parts: [{ kind: "addr" }, { kind: "port", proto: 6, lo: 443, hi: 443 }] });
		expect(web.elems[1]!.parts[1]).toEqual({ kind: "port", proto: 6, lo: 80, hi: 80 });
		expect(web.elems[2]!.parts[1]).toEqual({ kind: "port", proto: 17, lo: 1000, hi: 1010 });
		expect(c.sets.get("macs")!.elems[0]!.parts).toEqual([{ kind: "mac", mac: 0x001122334455n }]);
		expect(c.sets.get("v6")).toMatchObject({ fam: 6, netmask: 64 });
	});

	it("reports bad input with coded diagnostics and positions", () => {
		const cases: [string, string][] = [
			["create l list:set size 8", "unsupported_extension"],
			["add nowhere 1.2.3.4", "syntax_error"],
			["create a hash:ip family inet\nadd a 1.2.3.400", "invalid_address"],
			["create a hash:ip family inet\nadd a 1.2.3.4,80", "syntax_error"],
			["create a hash:ip,port family inet\nadd a 1.2.3.4,tcp:99999", "invalid_port"],
			["create a hash:ip family inet6\nadd a 1.2.3.4", "family_mismatch"],
			["create a hash:ip family ipx", "invalid_value"],
			["create a hash:ip family inet wibble 3", "unsupported_option"],
			["flush everything", "syntax_error"],
		];
		for (const [text, code] of cases) {
			const r = parseIpsetSave(text, "bad.save");
			expect(r.diagnostics.map((d) => d.code), text).toEqual([code]);
			expect(r.diagnostics[0]!.span?.file).toBe("bad.save");
		}
	});
});
