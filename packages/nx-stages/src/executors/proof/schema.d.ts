export interface ProofExecutorSchema {
  base?: string;
  inPlace?: boolean;
  review?: string;
  commit?: boolean;
  tag?: boolean;
  push?: boolean;
}
