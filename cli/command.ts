import { Command, CommanderError } from "commander";
import { EXIT } from "./io.js";
import type { Io } from "./io.js";

/** Adds one subcommand (options and action) to the program. */
export type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;

/** Runs one command line with the given subcommands and returns the exit code; never exits the process. */
export function runCommands(argv: readonly string[], io: Io, commands: readonly Register[]): number {
	let code: number = EXIT.ok;
	const setExit = (c: number): void => {
		code = c;
	};
	const program = new Command()
		.name("ipt2nft")
		.description("Compile iptables rulesets to nftables, and prove the translation changes nothing.")
		.version("0.1.0")
		.exitOverride()
		.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
	for (const register of commands) register(program, io, setExit);
	try {
		program.parse(argv as string[], { from: "user" });
	} catch (e) {
		if (e instanceof CommanderError) {
			// --help and --version are not errors.
			return e.exitCode === 0 ? EXIT.ok : EXIT.input;
		}
		io.stderr(`ipt2nft: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
		io.stderr("This is a bug in ipt2nft; please report it with the input that caused it.\n");
		return EXIT.internal;
	}
	return code;
}
