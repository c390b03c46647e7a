/**
 * CT --helper against the real kernel: in uniquely named namespaces (deleted afterwards), an FTP
 * control connection arrives from a peer namespace and sends USER then PORT; the ftp helper, if
 * attached to the connection, registers an expectation (/proc/net/nf_conntrack_expect). The
 * original rules (iptables-legacy-restore) and ipt2nft's translation (nft -f) must agree, a
 * mutant must not, and the two kernel facts the lowering relies on (the first CT/NOTRACK target
 * wins; an earlier CT --zone template keeps a later CT --helper from acting) are checked here.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { kernelSupport, NsGroup, PYTHON, runIn } from "../../../compiler/kernel/netns.js";
import { hostAndPeer } from "../../helpers/kernel-host.js";

const support = kernelSupport();
if (!support.ok) console.warn(`ct helper kernel tests skipped: ${support.reason}`);

const SERVER = `
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.9.0.1", 21)); s.listen(4); s.settimeout(5)
c, _ = s.accept(); c.settimeout(3); c.sendall(b"220 ready\\r\\n")
got = b""
while got.count(b"\\n") < 2:
    d = c.recv(100)
    if not d: break
    got += d
time.sleep(1.0)
`;
// The ftp helper skips the first line in each direction (it waits for a line boundary): USER first.
const CLIENT = `
import socket, time
s = socket.socket(); s.settimeout(3); s.connect(("10.9.0.1", 21)); s.recv(100)
s.sendall(b"USER a\\r\\n"); time.sleep(0.2); s.sendall(b"PORT 10,9,0,2,200,21\\r\\n"); time.sleep(0.3)
`;

/** Loads the rules into a fresh host namespace, runs the FTP exchange, returns the expectations. */
async function ftpExpectations(kind: "iptables" | "nft", rules: string): Promise<string[]> {
	const g = new NsGroup();
	try {
		const { host, peer } = hostAndPeer(g, "cth", kind, rules);
		const server = spawn("ip", ["netns", "exec", host, PYTHON, "-c", SERVER], { stdio: "ignore" });
		const ended = new Promise<void>((res) => server.on("exit", () => res()));
		await new Promise((res) => setTimeout(res, 400));
		const client = runIn(peer, PYTHON, ["-c", CLIENT], undefined, 10_000);
		if (!client.ok) throw new Error(`ftp client: ${client.stderr}`);
		const exp = runIn(host, "cat", ["/proc/net/nf_conntrack_expect"]);
		await ended;
		// Each line starts with the seconds left, which differ between runs.
		return exp.stdout.split("\n").filter((l) => l.trim() !== "").map((l) => l.replace(/^\d+ /, ""));
	} finally {
		g.destroy();
	}
}

const RAW = (rules: string[]): string => `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules.join("\n")}\nCOMMIT\n`;
const HELPER = RAW(["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]);

describe.skipIf(!support.ok)("CT --helper in the kernel", () => {
	it("iptables and the translation both attach the ftp helper; a port mutant does not", async () => {
		const out = compile(HELPER, { file: "t.rules", family: "ip" });
		expect(out.ok).toBe(true);
		const old = await ftpExpectations("iptables", HELPER);
		const neu = await ftpExpectations("nft", out.output);
		expect(old.length).toBe(1);
		expect(old[0]).toMatch(/ dport=51221 ftp$/);
		expect(neu).toEqual(old);
		const mutant = out.output.replace("tcp dport 21", "tcp dport 22");
		expect(mutant).not.toBe(out.output);
		expect(await ftpExpectations("nft", mutant)).toEqual([]);
	}, 60_000);

	it("path conditions: reached only from the client's interface (helper) / accepted from it before (no helper)", async () => {
		const viaJump = RAW(["-A PREROUTING -i vh -j X", "-A X -p tcp -m tcp --dport 21 -j CT --helper ftp"]).replace(":OUTPUT ACCEPT [0:0]\n", ":OUTPUT ACCEPT [0:0]\n:X - [0:0]\n");
		const acceptedFirst = RAW(["-A PREROUTING -i vh -j ACCEPT", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]);
		for (const [text, n] of [[viaJump, 1], [acceptedFirst, 0]] as const) {
			const out = compile(text, { file: "t.rules", family: "ip" });
			expect(out.ok).toBe(true);
			expect(out.output).toMatch(/iifname (!= )?"vh" tcp dport 21 ct state new ct helper set "ftp-tcp"/);
			const old = await ftpExpectations("iptables", text);
			expect(old.length).toBe(n);
			expect(await ftpExpectations("nft", out.output)).toEqual(old);
		}
	}, 60_000);

	it("kernel facts: the first CT target wins over a later NOTRACK; an earlier CT --zone keeps the helper away", async () => {
		const later = await ftpExpectations("iptables", RAW(["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A PREROUTING -j NOTRACK"]));
		expect(later.length).toBe(1);
		const earlier = await ftpExpectations("iptables", RAW(["-A PREROUTING -p tcp -j CT --zone 0", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]));
		expect(earlier).toEqual([]);
	}, 60_000);
});
