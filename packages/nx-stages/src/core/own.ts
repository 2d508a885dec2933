/**
 * Records keyed by names users write (gates, profiles) must treat every name as plain data: a
 * profile called "constructor" or "__proto__" is not Object.prototype's. These two helpers are
 * how such records are made and read.
 */

/** An empty record with no prototype: no inherited key answers a lookup, `__proto__` is an ordinary key. */
export function plainRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[key]` when `key` is the record's own, else undefined (never an inherited member). */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
