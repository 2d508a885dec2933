export interface VscodeGeneratorSchema {
  /** Workspace file to write, relative to the workspace root. */
  file?: string;
  plan?: string;
}
