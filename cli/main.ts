#!/usr/bin/env node
import { run } from "./program.js";
import { processIo } from "./io.js";

process.exitCode = run(process.argv.slice(2), processIo);
