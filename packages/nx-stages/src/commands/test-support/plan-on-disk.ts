import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git } from '../../git/test-support/temp-repo';

/**
 * Writes a plan as a user would (nx.json, stages/stages.yaml, one folder per stage) into the
 * repository at `root` and commits it, so commands read it from disk like in a workspace.
 * `stages` maps an id to extra stage.yaml lines.
 */
export function commitPlan(root: string, settings: string, stages: Record<string, string> = {}): void {
  const files: Record<string, string> = { 'nx.json': '{}\n', 'stages/stages.yaml': settings };
  for (const [id, extra] of Object.entries(stages)) {
    files[`stages/${id}/stage.yaml`] = `id: "${id}"\nname: Stage ${id}\nduration: 1w\nvalue: Users get ${id}.\n${extra}`;
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  git(root, ['add', '--all']);
  git(root, ['commit', '--quiet', '-m', 'plan']);
}
