/**
 * Chevrotain's runtime values, loaded from the single-file bundle the package ships
 * (lib/chevrotain.mjs, listed in its `files`): the package entry (lib/src/api.js) pulls lodash-es
 * in as hundreds of modules, ~0.25 s of every CLI run, while the bundle of the same version loads in
 * ~15 ms. Its `exports` map exposes only ".", so the bundle is found next to the resolved entry.
 * When it is not there (another layout), the package entry is used: slower, same behaviour.
 * Types still come from "chevrotain" (`import type`).
 */
import type * as Chevrotain from "chevrotain";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

function bundlePath(): string | undefined {
	try {
		// …/chevrotain/lib/src/api.js -> …/chevrotain/lib/chevrotain.mjs
		const entry = createRequire(import.meta.url).resolve("chevrotain");
		const bundle = join(dirname(entry), "..", "chevrotain.mjs");
		return existsSync(bundle) ? bundle : undefined;
	} catch {
		return undefined;
	}
}

async function load(): Promise<typeof Chevrotain> {
	const bundle = bundlePath();
	if (bundle !== undefined) return (await import(pathToFileURL(bundle).href)) as typeof Chevrotain;
	return await import("chevrotain");
}

const chevrotain = await load();

export const createToken = chevrotain.createToken;
export const Lexer = chevrotain.Lexer;
export const EmbeddedActionsParser = chevrotain.EmbeddedActionsParser;
