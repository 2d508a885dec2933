/** Durations are in working days: `d` = one working day, `w` = five. */
export const DAYS_PER_WEEK = 5;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*([dw])$/;

/** Working days for `2w`, `1.5w`, `3d`; undefined when the text is not a duration. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const days = match[2] === 'w' ? amount * DAYS_PER_WEEK : amount;
  // Thousandths of a day are the finest unit the schedule keeps.
  return Math.round(days * 1000) / 1000;
}
