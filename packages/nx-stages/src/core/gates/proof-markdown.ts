import { GATE_TIERS } from '../gate-catalog';
import { COVERAGE_METRICS } from './coverage';
import { formatDuration, failedMandatory } from './gates-result';
import type { GateStatus } from './judge';
import type { Proof } from './proof';

export const REVIEW_START = '<!-- nx-stages:review:start -->';
export const REVIEW_END = '<!-- nx-stages:review:end -->';
/** What a new proof's review says until someone writes it; the proof gate refuses it as is. */
export const REVIEW_SKELETON = 'TODO: write the review: what was built and why, decisions taken, known limits, what a reviewer should look at first.';

const ICON: Record<GateStatus, string> = { pass: '✅', fail: '❌', 'n/a': '➖', 'could-not-run': '⚠️' };
const percent = (value: number | null | undefined) => (value === null || value === undefined ? 'not measured' : `${value} %`);

/** Where the review sits: the markers on lines of their own (the same text quoted elsewhere does not count). */
function reviewBounds(markdown: string): { start: number; end: number } | undefined {
  const lines = markdown.split('\n');
  const startLine = lines.indexOf(REVIEW_START);
  const endLine = lines.indexOf(REVIEW_END, startLine + 1);
  if (startLine === -1 || endLine === -1) return undefined;
  const offset = (line: number) => lines.slice(0, line).reduce((sum, text) => sum + text.length + 1, 0);
  return { start: offset(startLine) + REVIEW_START.length, end: offset(endLine) };
}

/** The hand-written review inside an existing proof file; undefined when it has none. */
export function extractReview(markdown: string): string | undefined {
  const bounds = reviewBounds(markdown);
  return bounds ? markdown.slice(bounds.start, bounds.end).trim() : undefined;
}

/** The proof file with the review put back: everything but the review is rendered from proof.json. */
export function renderProofMarkdown(proof: Omit<Proof, 'digest'> & { digest?: string }, review: string): string {
  const mandatory = proof.gates.filter((gate) => gate.tier === 'mandatory');
  const mandatoryPassed = mandatory.filter((gate) => gate.status === 'pass' || gate.status === 'n/a').length;
  const complete = failedMandatory(proof.gates).length === 0;
  const tests = proof.tests;
  const gateStatus = (name: string) => proof.gates.find((gate) => gate.name === name);
  const row = (what: string, target: string, actual: string, status: GateStatus | undefined) =>
    `| ${what} | ${target} | ${actual} | ${status ? `${ICON[status]} ${status}` : '➖ not in profile'} |`;
  const audit = gateStatus('audit');
  const vulnerabilities = proof.vulnerabilities
    ? Object.entries(proof.vulnerabilities)
        .map(([level, count]) => `${count} ${level}`)
        .join(', ')
    : (audit?.detail ?? 'not measured');
  const lines = [
    `# Stage ${proof.stage} proof: ${escapeCell(proof.name)}`,
    '',
    `<!-- Rendered by \`nx run stage-${proof.stage}:proof\` from proof.json. Only the review section is yours: everything else is rewritten, and \`verify\` fails when it was edited. -->`,
    '',
    `**TL;DR:** ${complete ? '✅ complete' : '❌ incomplete'}: ${mandatoryPassed}/${mandatory.length} mandatory gates passed` +
      (tests ? `, ${tests.passed}/${tests.total} tests passed` : ', tests not measured') +
      `, line coverage ${percent(proof.coverage?.lines)}, measured on \`${proof.commit.slice(0, 12)}\`.`,
    '',
    '## Summary',
    '',
    '| check | target | actual | status |',
    '|---|---|---|---|',
    row('mandatory gates', 'all pass', `${mandatoryPassed}/${mandatory.length}`, complete ? 'pass' : 'fail'),
    row(
      'tests',
      'all pass, none skipped',
      tests ? `${tests.passed}/${tests.total} passed, ${tests.failed} failed, ${tests.skipped} skipped` : 'not measured',
      gateStatus('test')?.status,
    ),
    row('coverage (lines)', `≥ ${gateStatus('coverage')?.threshold ?? '?'} %`, percent(proof.coverage?.lines), gateStatus('coverage')?.status),
    row('vulnerabilities', 'none', escapeCell(vulnerabilities), audit?.status),
    row('build', 'clean', escapeCell(gateStatus('build')?.detail ?? 'not in profile'), gateStatus('build')?.status),
    '',
    '## Gates',
    '',
  ];
  let number = 0;
  for (const tier of GATE_TIERS) {
    const gates = proof.gates.filter((gate) => gate.tier === tier);
    if (gates.length === 0) continue;
    lines.push(`### ${tier[0].toUpperCase()}${tier.slice(1)}`, '', '| # | gate | status | time | detail |', '|---|---|---|---|---|');
    for (const gate of gates) {
      number += 1;
      lines.push(`| ${number} | ${gate.name} | ${ICON[gate.status]} ${gate.status} | ${formatDuration(gate.durationMs)} | ${escapeCell(gate.detail)} |`);
    }
    lines.push('');
  }
  lines.push(
    '## Tests',
    '',
    tests ? `| total | passed | failed | skipped |\n|---|---|---|---|\n| ${tests.total} | ${tests.passed} | ${tests.failed} | ${tests.skipped} |` : 'Not measured.',
    '',
    '## Coverage',
    '',
    proof.coverage
      ? `| ${COVERAGE_METRICS.join(' | ')} |\n|${COVERAGE_METRICS.map(() => '---').join('|')}|\n| ${COVERAGE_METRICS.map((metric) => percent(proof.coverage?.[metric])).join(' | ')} |`
      : 'Not measured.',
    '',
    '## Security',
    '',
    `Dependency audit: ${escapeCell(vulnerabilities)}.`,
    '',
    '## Deliverables',
    '',
    ...(proof.deliverables.length ? proof.deliverables.map((item) => `- ${item}`) : ['None listed in stage.yaml.']),
    '',
    '## Value',
    '',
    proof.value ?? 'No value statement in stage.yaml.',
    '',
    '## Integration',
    '',
    proof.dependencies.length ? `Depends on: ${proof.dependencies.map((dependency) => `${dependency.id} (${dependency.state})`).join(', ')}.` : 'Depends on no other stage.',
    proof.unblocks.length ? `Unblocks: ${proof.unblocks.join(', ')}.` : 'No stage waits for it.',
    '',
    '## Reports',
    '',
    ...proof.reports.map((path) => `- [${path.split('/').pop()}](${relativeToProof(path, proof.stage)})`),
    '',
    '## Review',
    '',
    REVIEW_START,
    review.trim() || REVIEW_SKELETON,
    REVIEW_END,
    '',
    '## Measured',
    '',
    `- commit: \`${proof.commit}\` on \`${proof.branch}\``,
    `- content: \`${proof.contentHash}\``,
    `- base: \`${proof.base.branch}\` (merge base \`${proof.base.mergeBase}\`)`,
    `- measured at: ${proof.measuredAt}`,
    // Format 1 named the digest here; from format 2 on this page is itself in the proof's manifest.
    ...(proof.format === undefined ? [`- digest: \`${proof.digest}\``] : []),
    '',
  );
  return lines.join('\n');
}

/** The markdown with the review section emptied: what `verify` compares, since only the review is hand-written. */
export function withoutReview(markdown: string): string {
  const bounds = reviewBounds(markdown);
  return bounds ? markdown.slice(0, bounds.start) + markdown.slice(bounds.end) : markdown;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Report paths are relative to the checkout; links in the proof file are relative to its folder. */
function relativeToProof(path: string, id: string): string {
  const folder = `stage-proofs/stage-${id}/`;
  return path.startsWith(folder) ? path.slice(folder.length) : path;
}
