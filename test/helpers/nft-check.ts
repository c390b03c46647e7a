import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface NftCheck {
	readonly ok: boolean;
	readonly stderr: string;
}

/**
 * Runs the real `nft -c -f` (check only: nothing is loaded into the machine's ruleset).
 * `json` checks libnftables JSON (`nft -j -c -f`).
 */
export function nftCheck(text: string, opts: { json?: boolean } = {}): NftCheck {
	const dir = mkdtempSync(join(tmpdir(), "ipt2nft-nftc-"));
	try {
		const file = join(dir, opts.json ? "ruleset.json" : "ruleset.nft");
		writeFileSync(file, text);
		const args = opts.json ? ["-j", "-c", "-f", file] : ["-c", "-f", file];
		const r = spawnSync("nft", args, { encoding: "utf8" });
		if (r.error) return { ok: false, stderr: `cannot run nft: ${r.error.message}` };
		return { ok: r.status === 0, stderr: r.stderr };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
