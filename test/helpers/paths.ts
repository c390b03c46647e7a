import { resolve } from "node:path";

/** Project root and the shared data beside it (never copied into the project). */
export const ROOT = resolve(import.meta.dirname, "../..");
export const SHARED = resolve(ROOT, "..", "shared");
export const CORPUS_REAL = resolve(SHARED, "corpus", "real");
export const EXAMPLES = resolve(ROOT, "corpus", "examples");
