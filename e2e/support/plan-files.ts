import { readdirSync } from 'node:fs';
import { parse } from 'yaml';
import type { Workspace } from './workspace';

export interface StageFile {
  /** Workspace-relative folder, e.g. `stages/9.1-dashboard-ui-components`. */
  folder: string;
  data: Record<string, unknown>;
}

/** Every readable stage.yaml of the plan in `planFolder`, by the id written in it. */
export function readStageFiles(ws: Workspace, planFolder = 'stages'): Map<string, StageFile> {
  const stages = new Map<string, StageFile>();
  for (const entry of readdirSync(ws.path(planFolder), { withFileTypes: true })) {
    if (!entry.isDirectory() || !ws.exists(`${planFolder}/${entry.name}/stage.yaml`)) continue;
    try {
      const data = parse(ws.read(`${planFolder}/${entry.name}/stage.yaml`));
      if (data && typeof data === 'object') stages.set(String(data.id), { folder: `${planFolder}/${entry.name}`, data });
    } catch {
      // a deliberately broken file
    }
  }
  return stages;
}

export function stageFile(ws: Workspace, id: string): StageFile {
  const stage = readStageFiles(ws).get(id);
  if (!stage) throw new Error(`no stage.yaml with id ${JSON.stringify(id)} under stages/`);
  return stage;
}

/** The lines of the fenced ```mermaid block of a Markdown text. */
export function mermaidBlock(markdown: string): string[] {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  return match ? match[1].split('\n') : [];
}
