export interface AgentsGeneratorSchema {
  plan?: string;
}
