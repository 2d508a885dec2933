export interface CiGeneratorSchema {
  /** Workflow file to write, relative to the workspace root. */
  path?: string;
  /** Plan folder, relative to the workspace root. */
  plan?: string;
  /** Base branch; default: the plan's baseBranch, else detected from git. */
  base?: string;
  /** Node.js version for actions/setup-node. */
  nodeVersion?: string;
  /** Runner label(s): `ubuntu-latest`, or `self-hosted,linux`. */
  runsOn?: string | string[];
}
