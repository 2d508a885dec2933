import { failedMandatory, formatDuration, type GatesResult } from './gates-result';

/**
 * The summary people read after `gates`: the counts, the mandatory gates that ran and failed (a
 * gate fast-fail stopped is counted as not run, never named as failed), the tests, where the
 * logs are. `store` is where the run kept its logs; a reused result names none.
 */
export function renderGatesSummary(result: GatesResult, store?: { logs: string }, reused = false): string {
  const failed = failedMandatory(result.gates.filter((gate) => gate.status !== 'not-run'));
  const counted = (status: string) => result.gates.filter((gate) => gate.status === status).length;
  const took = formatDuration(Date.parse(result.finishedAt) - Date.parse(result.startedAt));
  const when = reused
    ? ` — reused: nothing changed (content, gate settings, lock files) since they ran at ${result.finishedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} in ${took}`
    : ` in ${took}`;
  const lines = [
    `${failedMandatory(result.gates).length ? '✖' : '✔'} Stage ${result.stage}: ${counted('pass')} passed, ${counted('fail')} failed, ${counted('could-not-run')} could not run, ${counted('n/a')} n/a, ${counted('not-run')} not run${when}` +
      (failed.length ? ` (mandatory failed: ${failed.join(', ')})` : ''),
  ];
  if (result.tests) lines.push(`  tests ${result.tests.passed}/${result.tests.total} passed${result.coverage?.lines == null ? '' : `, line coverage ${result.coverage.lines} %`}`);
  if (!result.clean) lines.push(`  ! ${result.uncommitted.length} uncommitted file(s): these numbers belong to no commit, so no proof can use them. Commit, then run gates again.`);
  if (store) lines.push(`  logs: ${store.logs} (commit ${result.commit.slice(0, 7)})`);
  return lines.join('\n');
}
