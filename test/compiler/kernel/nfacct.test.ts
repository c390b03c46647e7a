/**
 * verify --kernel with -m nfacct: the replay creates the objects the rules name (the kernel
 * refuses the rules otherwise), without quota; iptables-legacy with xt_nfacct and nft with named
 * counters then decide every replayed packet alike, and the simulator agrees with both kernels.
 * Skipped (with the reason printed) without root, namespaces or the nfacct tool.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { verifyKernel, type KernelVerifyResult } from "../../../compiler/kernel/index.js";
import { kernelSupport, run } from "../../../compiler/kernel/netns.js";
import { CORPUS_REAL } from "../../helpers/paths.js";

const support = kernelSupport();
const tool = run("nfacct", ["version"]);
const reason = !support.ok ? support.reason : tool.status === null ? "the nfacct tool is not installed (apt-get install nfacct)" : "";
if (reason !== "") console.warn(`nfacct kernel replay tests skipped: ${reason}`);

function replay(text: string, file: string, packets: number) {
	const out = compile(text, { file });
	expect(out.ok).toBe(true);
	expect(out.output).toContain("counter name");
	const r: KernelVerifyResult = verifyKernel(text, out.output, { oldFile: file, newFile: `${file}.nft`, packets });
	if (r.kind !== "done") throw new Error(`kernel replay did not run: ${r.kind === "unsupported" ? r.reason : r.diagnostics.map((d) => d.message).join("; ")}`);
	return r;
}

describe.skipIf(reason !== "")(`nfacct through the real kernel${reason !== "" ? ` [SKIPPED: ${reason}]` : ""}`, () => {
	it("named counters decide like xt_nfacct on objects without quota", () => {
		const rules = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -m nfacct --nfacct-name ssh -j DROP\n-A INPUT -m nfacct --nfacct-name seen\n-A FORWARD -m nfacct --nfacct-name ssh -p udp -j DROP\nCOMMIT\n";
		const r = replay(rules, "nfacct.rules", 120);
		expect(r.replayedPackets).toBeGreaterThan(20);
		expect(r.comparisons.every((c) => c.kernelEqual && c.simOldAgrees && c.simNewAgrees)).toBe(true);
	}, 180_000);
	it("the kube-proxy corpus file (nfacct in filter and nat) loads and agrees", () => {
		const file = join(CORPUS_REAL, "kubeproxy-iptables-restore-overall.rules");
		const r = replay(readFileSync(file, "utf8"), file, 120);
		expect(r.replayedPackets).toBeGreaterThan(20);
		expect(r.comparisons.every((c) => c.kernelEqual && c.simOldAgrees && c.simNewAgrees)).toBe(true);
	}, 180_000);
});
