export interface GatesExecutorSchema {
  base?: string;
  inPlace?: boolean;
  parallel?: number;
  fastFail?: boolean;
  force?: boolean;
  json?: boolean;
  outputFile?: string;
}
