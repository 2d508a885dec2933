import { guardCommand } from '../commands/guard';
import { report, type OutputSink } from '../io/reporter';
import { parseCommandLine, verbUsage } from './argv';

/** The hook's stdin, all of it; undefined when stdin is a terminal (nobody piped a payload in). */
export type InputSource = () => Promise<string | undefined>;

export const processStdin: InputSource = async () => {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * `nx-stages guard`: Claude Code's PreToolUse payload on stdin, the decision on stdout (nothing
 * when the guard has no opinion), exit 0; a payload it cannot judge on stderr, exit 1 (see
 * commands/guard for why not 2).
 */
export async function runGuard(flags: Record<string, string | boolean>, out: OutputSink, input: InputSource): Promise<number> {
  const payload = await input();
  if (payload === undefined) {
    out.error(
      'nx-stages guard: reads a Claude Code PreToolUse payload on stdin, and stdin is a terminal. It is the hook `nx g nx-stages:agents` installs; to try it, pipe a payload in: echo \'{"hook_event_name":"PreToolUse","cwd":"…","tool_name":"Write","tool_input":{"file_path":"…"}}\' | npx nx-stages guard',
    );
    return 1;
  }
  return report(await guardCommand(payload, { plan: typeof flags.plan === 'string' ? flags.plan : undefined }), {}, out);
}

/**
 * The bin's way in for `guard` alone (bin/nx-stages): it runs before every file an agent writes,
 * so it loads the guard's few modules, not every verb's (about half its start-up).
 */
export async function runGuardCli(argv: string[], out: OutputSink, input: InputSource = processStdin): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'error') return (out.error(line.message), 1);
  if (line.kind === 'help') return (out.log(`Usage: ${verbUsage('guard')}`), line.exitCode);
  return runGuard(line.flags, out, input);
}
