/** Test counts as a JUnit XML report states them. */
export interface TestCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

export const NO_TESTS: TestCounts = { total: 0, passed: 0, failed: 0, skipped: 0 };

/**
 * Counts the test cases of a JUnit XML report (jest-junit, vitest, playwright, pytest all write
 * this shape). Each `<testcase>` is counted once: failed when it holds a `<failure>` or `<error>`,
 * skipped when it holds `<skipped>`. Reporters that only write suite totals are read from the
 * `<testsuite>` attributes instead. Undefined when the text is not a JUnit report at all.
 *
 * A regex reader, not an XML parser: the format is flat and well known, and it keeps the plugin
 * free of an XML dependency. Failure messages (CDATA, comments) are removed first, because they
 * may quote XML themselves.
 */
export function countJUnit(xml: string): TestCounts | undefined {
  const text = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  if (!/<testsuites?\b/.test(text)) return undefined;
  const counts = { ...NO_TESTS };
  let cases = 0;
  for (const match of text.matchAll(/<testcase\b[^>]*?(?:\/>|>([\s\S]*?)<\/testcase\s*>)/g)) {
    cases += 1;
    const body = match[1] ?? '';
    if (/<(failure|error)\b/.test(body)) counts.failed += 1;
    else if (/<skipped\b/.test(body)) counts.skipped += 1;
    else counts.passed += 1;
  }
  if (cases > 0) return { ...counts, total: cases };
  return countFromSuites(text);
}

/**
 * The failing test cases of a JUnit XML report (a `<failure>` or `<error>` inside), by name: the
 * class first when it says more than the name (pytest's module), as people search for them.
 */
export function failingJUnitCases(xml: string): string[] {
  const text = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const failing: string[] = [];
  for (const match of text.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase\s*>)/g)) {
    if (!/<(failure|error)\b/.test(match[2] ?? '')) continue;
    const attribute = (key: string) => unescapeXml(new RegExp(`\\b${key}="([^"]*)"`).exec(match[1])?.[1] ?? '');
    const name = attribute('name');
    const classname = attribute('classname');
    failing.push(classname && !classname.includes(name) ? `${classname} › ${name}` : name || classname);
  }
  return failing;
}

function unescapeXml(text: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, entity: string) => entities[entity]);
}

function countFromSuites(text: string): TestCounts {
  const counts = { ...NO_TESTS };
  for (const match of text.matchAll(/<testsuite\b([^>]*)>/g)) {
    const attributes = match[1];
    const number = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(attributes)?.[1] ?? 0);
    counts.total += number('tests');
    counts.failed += number('failures') + number('errors');
    counts.skipped += number('skipped') || number('disabled');
  }
  counts.passed = Math.max(0, counts.total - counts.failed - counts.skipped);
  return counts;
}

export function addCounts(a: TestCounts, b: TestCounts): TestCounts {
  return { total: a.total + b.total, passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}
