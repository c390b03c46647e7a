import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/**/*.test.ts"],
		// Tests shell out to real nft; the machine has 2 cores.
		maxWorkers: 2,
		testTimeout: 120_000,
		hookTimeout: 120_000,
		reporters: ["default"],
	},
});
