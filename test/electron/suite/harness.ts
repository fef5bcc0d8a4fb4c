// A tiny sequential test harness for VS Code's extension host (no mocha in this project). The
// extension host's exit code is not trustworthy everywhere (code-server's test runner exits 0
// when a test throws), so results also go to a JSON file the driver asserts on.
import { writeFileSync } from 'node:fs';

export interface CaseResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}
export interface SuiteResult {
  passed: number;
  failed: number;
  cases: CaseResult[];
}

export interface Case {
  name: string;
  timeoutMs?: number;
  run(): Promise<void>;
}

export async function runCases(cases: Case[], resultsFile: string | undefined): Promise<SuiteResult> {
  const result: SuiteResult = { passed: 0, failed: 0, cases: [] };
  for (const c of cases) {
    const started = Date.now();
    try {
      await withTimeout(c.run(), c.timeoutMs ?? 60_000, c.name);
      result.passed++;
      result.cases.push({ name: c.name, ok: true, ms: Date.now() - started });
      console.log(`  ok   ${c.name}`);
    } catch (e) {
      result.failed++;
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      result.cases.push({ name: c.name, ok: false, ms: Date.now() - started, error });
      console.log(`  FAIL ${c.name}\n${error}`);
    }
  }
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify(result, null, 2));
  return result;
}

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}
