export interface PlanExecutorSchema {
  /** Schedule with this many people instead of one per stage. */
  teamSize?: number;
}
