/**
 * Network namespaces for kernel replays: uniquely named per run (`ipt2nft-k<pid>-<random>-…`),
 * recorded in a registry the moment they exist, and deleted by `destroy()`, by the exit hook, or
 * by the SIGINT/SIGTERM handlers, whichever comes first. Namespaces left by a process that died
 * without cleaning up (SIGKILL) are swept at the next run: the pid in the name is no longer alive.
 * Nothing here touches the machine's own namespace except `ip netns add/del`.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";

export const NS_PREFIX = "ipt2nft-k";

export interface RunResult {
	readonly ok: boolean;
	readonly status: number | null;
	readonly stdout: string;
	readonly stderr: string;
}

/** Runs a command without a shell; `input` goes to its stdin. */
export function run(cmd: string, args: readonly string[], input?: string, timeoutMs = 60_000): RunResult {
	const r = spawnSync(cmd, args as string[], { input: input ?? "", encoding: "utf8", timeout: timeoutMs, maxBuffer: 256 << 20 });
	if (r.error) return { ok: false, status: null, stdout: "", stderr: `${cmd}: ${r.error.message}` };
	return { ok: r.status === 0, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command inside a namespace (`ip netns exec NS cmd …`). */
export function runIn(ns: string, cmd: string, args: readonly string[], input?: string, timeoutMs?: number): RunResult {
	return run("ip", ["netns", "exec", ns, cmd, ...args], input, timeoutMs);
}

const live = new Set<string>();
let hooked = false;

function deleteNs(name: string): void {
	run("ip", ["netns", "del", name]);
	live.delete(name);
}

/** Deletes every namespace this process still holds (synchronous: safe in exit handlers). */
export function destroyAll(): void {
	for (const n of [...live]) deleteNs(n);
}

function installHooks(): void {
	if (hooked) return;
	hooked = true;
	process.on("exit", destroyAll);
	for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
		process.on(sig, () => {
			destroyAll();
			process.exit(sig === "SIGINT" ? 130 : sig === "SIGTERM" ? 143 : 129);
		});
	}
}

/** A set of namespaces created together and destroyed together. */
export class NsGroup {
	readonly base: string;
	private readonly mine: string[] = [];

	constructor() {
		installHooks();
		this.base = `${NS_PREFIX}${process.pid}-${randomBytes(3).toString("hex")}`;
	}

	/** Creates `<base>-<suffix>`; throws with the tool's message when the kernel refuses. */
	add(suffix: string): string {
		const name = `${this.base}-${suffix}`;
		const r = run("ip", ["netns", "add", name]);
		if (!r.ok) throw new KernelSetupError(`ip netns add ${name}: ${r.stderr.trim()}`);
		live.add(name);
		this.mine.push(name);
		return name;
	}

	destroy(): void {
		for (const n of this.mine.splice(0)) deleteNs(n);
	}
}

export class KernelSetupError extends Error {
	override readonly name = "KernelSetupError";
}

/** Removes namespaces named by earlier runs whose process is gone. */
export function sweepStale(): string[] {
	const dir = "/var/run/netns";
	if (!existsSync(dir)) return [];
	const swept: string[] = [];
	for (const n of readdirSync(dir)) {
		const m = new RegExp(`^${NS_PREFIX}(\\d+)-`).exec(n);
		if (!m) continue;
		const pid = Number(m[1]);
		if (pid === process.pid || existsSync(`/proc/${pid}`)) continue;
		run("ip", ["netns", "del", n]);
		swept.push(n);
	}
	return swept;
}

export type Support = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Whether kernel replays can run here: root, the tools, and a namespace that can be created
 * (containers without CAP_SYS_ADMIN cannot). The probe namespace is deleted at once.
 */
export function kernelSupport(python = PYTHON): Support {
	if (typeof process.getuid === "function" && process.getuid() !== 0) return { ok: false, reason: "kernel replay needs root (network namespaces, raw sockets)" };
	for (const [tool, args] of [
		["ip", ["-V"]],
		["nft", ["--version"]],
		["iptables-legacy-restore", ["--version"]],
	] as const) {
		const r = run(tool, args);
		if (r.status === null) return { ok: false, reason: `${tool} is not installed (${r.stderr.trim()})` };
	}
	const py = run(python, ["-c", "import scapy.all"]);
	if (!py.ok) return { ok: false, reason: `${python} cannot import scapy (apt-get install python3-scapy): ${py.stderr.trim().split("\n").pop() ?? ""}` };
	const g = new NsGroup();
	try {
		g.add("probe");
	} catch (e) {
		return { ok: false, reason: `cannot create a network namespace: ${(e as Error).message}` };
	} finally {
		g.destroy();
	}
	return { ok: true };
}

/** Debian's python3 (python3-scapy is installed for it); `python3` on PATH may be another one. */
export const PYTHON = "/usr/bin/python3";
