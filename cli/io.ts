import { readFileSync } from "node:fs";

/** Where a command reads and writes; tests pass buffers, main passes the process. */
export interface Io {
	readonly stdout: (s: string) => void;
	readonly stderr: (s: string) => void;
	readonly readStdin: () => string;
	readonly isTty: boolean;
}

export const processIo: Io = {
	stdout: (s) => process.stdout.write(s),
	stderr: (s) => process.stderr.write(s),
	readStdin: () => readFileSync(0, "utf8"),
	isTty: Boolean(process.stderr.isTTY),
};

export type InputRead = { readonly ok: true; readonly name: string; readonly text: string } | { readonly ok: false; readonly message: string };

/** `-` or no file means stdin. Binary input is kept as text here; the parser reports it. */
export function readInput(file: string | undefined, io: Io): InputRead {
	if (file === undefined || file === "-") {
		try {
			return { ok: true, name: "<stdin>", text: io.readStdin() };
		} catch (e) {
			return { ok: false, message: `cannot read stdin: ${(e as Error).message}` };
		}
	}
	try {
		return { ok: true, name: file, text: readFileSync(file, "utf8") };
	} catch (e) {
		return { ok: false, message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
	}
}

/** Exit codes shared by all commands. */
export const EXIT = { ok: 0, different: 1, input: 2, internal: 3 } as const;
