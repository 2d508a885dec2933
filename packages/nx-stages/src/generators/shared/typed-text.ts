/**
 * Nx's CLI parses option values with yargs, which turns `9.10` into the number 9.1 — a
 * different stage id. When a value arrives as a number, recover the text the user typed
 * from argv: the flag's own value (`--dependsOn=9.10`, `--dependsOn 9.10`) or, for a
 * positional option, the first bare word that reads as the same number.
 */
export function typedText(value: unknown, option: string | undefined, argv: readonly string[] = process.argv): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') return String(value);
  const sameNumber = (text: string | undefined): text is string => text !== undefined && text.trim() !== '' && Number(text) === value;
  const { flags, positionals } = splitArgv(argv);
  const candidates = option ? (flags.get(option) ?? flags.get(kebab(option)) ?? []) : positionals;
  return candidates.find(sameNumber) ?? String(value);
}

function splitArgv(argv: readonly string[]): { flags: Map<string, string[]>; positionals: string[] } {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--?([^=]+)(?:=(.*))?$/.exec(arg);
    if (!match) {
      positionals.push(arg);
      continue;
    }
    let flagValue = match[2];
    if (flagValue === undefined && i + 1 < argv.length && !argv[i + 1].startsWith('-')) flagValue = argv[i + 1];
    if (flagValue !== undefined) flags.set(match[1], [...(flags.get(match[1]) ?? []), flagValue]);
  }
  return { flags, positionals };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
