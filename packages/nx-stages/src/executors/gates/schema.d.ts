export interface GatesExecutorSchema {
  base?: string;
  inPlace?: boolean;
  parallel?: number;
  fastFail?: boolean;
  json?: boolean;
}
