import { runCommands } from "./command.js";
import { registerTranslate } from "./translate.js";
import { registerVerify } from "./verify.js";
import type { Io } from "./io.js";

/** Runs one command line and returns the exit code; never exits the process itself. */
export function run(argv: readonly string[], io: Io): number {
	return runCommands(argv, io, [registerTranslate, registerVerify]);
}
