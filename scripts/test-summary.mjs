// Prints "N passed, M failed" from the JSON reports scripts/test-all.sh collected.
// Usage: node scripts/test-summary.mjs <reports dir> [name of a step that failed]
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const [dir, failedStep] = process.argv.slice(2);
let passed = 0;
let failed = 0;

for (const file of readdirSync(dir).sort()) {
  const report = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
  if (file.endsWith(".vitest.json")) {
    passed += report.numPassedTests;
    // A file that fails to load has no tests of its own but is still a failure.
    const brokenFiles = report.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
    failed += report.numFailedTests + brokenFiles;
  } else if (file.endsWith(".playwright.json")) {
    passed += report.stats.expected + report.stats.flaky;
    failed += report.stats.unexpected + (report.errors?.length ?? 0);
  }
}

// A step that fails without failing a test (type error, lint, build) still counts as one failure.
if (failedStep && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
