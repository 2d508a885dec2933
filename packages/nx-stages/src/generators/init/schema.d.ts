export interface InitGeneratorSchema {
  /** Plan folder, relative to the workspace root. */
  plan?: string;
  /** Passed by `nx add`; nx-stages adds no packages, so there is nothing to keep. */
  keepExistingVersions?: boolean;
  skipFormat?: boolean;
}
