import { run } from "../../cli/program.js";
import type { Io } from "../../cli/io.js";

export interface CliRun {
	readonly code: number;
	readonly stdout: string;
	readonly stderr: string;
}

/** Runs the CLI in-process with captured output (the real program, not a mock). */
export function cli(argv: readonly string[], stdin = ""): CliRun {
	let stdout = "";
	let stderr = "";
	const io: Io = {
		stdout: (s) => {
			stdout += s;
		},
		stderr: (s) => {
			stderr += s;
		},
		readStdin: () => stdin,
		isTty: false,
	};
	const code = run(argv, io);
	return { code, stdout, stderr };
}
