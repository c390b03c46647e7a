#!/usr/bin/env node
import { run } from "./program.js";
import { processIo } from "./io.js";

// A closed pipe (`ipt2nft … | head`) is not an error worth a stack trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
	if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
	throw e;
});
process.exitCode = run(process.argv.slice(2), processIo);
