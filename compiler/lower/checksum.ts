/**
 * CHECKSUM --checksum-fill -> nothing. It computes checksums left partial by checksum offload
 * (only old DHCP clients on virtio care); nft has no such statement and current kernels and
 * clients need none. The rule counts as translated, with a lossy_translation warning.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";

export function lowerChecksum(ctx: RuleCtx): nft.Stmt[] {
	ctx.diags.push(
		diagnostic(
			"lossy_translation",
			"CHECKSUM --checksum-fill has no nft equivalent and is left out (it only helped old DHCP clients with virtio checksum offload)",
			ctx.rule.span,
			"if such a guest breaks, disable tx checksum offload on its interface (ethtool -K IFACE tx off)",
		),
	);
	return [];
}
