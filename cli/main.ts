#!/usr/bin/env node
import { processIo } from "./io.js";

// A closed pipe (`ipt2nft … | head`) is not an error worth a stack trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
	if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
	throw e;
});

const argv = process.argv.slice(2);
// A plain `translate` (the common, large-input case) loads only the compiler: the verifier
// (simulator, nft parser, kernel replay) is a third of the modules. Anything else, or any doubt,
// runs the full program, which behaves the same for `translate`.
if (argv[0] === "translate" && !argv.includes("--verify")) {
	const [{ runCommands }, { registerTranslate }] = await Promise.all([import("./command.js"), import("./translate.js")]);
	process.exitCode = runCommands(argv, processIo, [registerTranslate]);
} else {
	const { run } = await import("./program.js");
	process.exitCode = run(argv, processIo);
}
