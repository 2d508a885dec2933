// `npx nx-stages mcp`: the tools of mcp-tools.ts as a Model Context Protocol server on stdio.
// stdout is the transport: nothing else may write there, so progress and logs go to stderr and,
// for the client, to MCP log and progress notifications.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { InvalidSettingsError } from '../core/load-plan';
import { refuse } from '../core/outcome';
import { loadCommandPlan } from '../io/command-plan';
import { pluginVersion } from '../io/plugin-version';
import { toolResult } from './mcp-result';
import { TOOLS, type Tool } from './mcp-tools';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** The server with every tool registered, for the workspace at `root` and its plan folder. */
export function createMcpServer(root: string, folder: string, stderr: (line: string) => void): McpServer {
  const server = new McpServer({ name: 'nx-stages', version: pluginVersion() }, { capabilities: { logging: {} } });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        // Loose: a plain object schema forbids fields it does not name, and clients enforce that.
        outputSchema: z.looseObject(tool.output),
        annotations: { readOnlyHint: tool.readOnly, destructiveHint: false, openWorldHint: false },
      },
      (args: Record<string, unknown>, extra: Extra) => call(tool, args, { root, folder, log: progress(server, extra, stderr) }),
    );
  }
  return server;
}

/**
 * One tool call: the plan read again (an edit while the server runs is seen), the verb run, its
 * outcome the result. Whatever goes wrong comes back as an error result; the server stays up.
 */
async function call(tool: Tool, args: Record<string, unknown>, context: { root: string; folder: string; log: (line: string) => void }): Promise<CallToolResult> {
  try {
    const plan = loadCommandPlan(context.root, context.folder);
    return toolResult(await tool.run(args as never, { root: context.root, plan, log: context.log }));
  } catch (error) {
    if (error instanceof InvalidSettingsError)
      return toolResult(refuse('invalid-input', error.message, 'Fix the plan (`npx nx-stages validate` lists its errors) and call again.'));
    return toolResult(refuse('unexpected', `${tool.name} failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/**
 * A progress line of a call: on stderr, as an MCP log message (at the level the client set),
 * and as a progress notification when the client asked for them (a progressToken), which also
 * keeps a client's request timeout from running out during long gates.
 */
function progress(server: McpServer, extra: Extra, stderr: (line: string) => void): (line: string) => void {
  const token = extra._meta?.progressToken;
  let step = 0;
  return (line) => {
    stderr(line);
    server.sendLoggingMessage({ level: 'info', logger: 'nx-stages', data: line }).catch(() => undefined);
    if (token !== undefined) extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: ++step, message: line } }).catch(() => undefined);
  };
}

/**
 * Serves on stdin/stdout until the client closes stdin. Anything that would print to stdout
 * through console (a dependency's stray log) is sent to stderr: one foreign line would break
 * the protocol.
 */
export async function runMcpServer(root: string, folder: string): Promise<number> {
  const toStderr = (...parts: unknown[]) => console.error(...parts);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const server = createMcpServer(root, folder, (line) => process.stderr.write(`${line}\n`));
  const closed = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await server.connect(new StdioServerTransport());
  process.stderr.write(`nx-stages MCP server on stdio for ${root} (${TOOLS.length} tools)\n`);
  await closed;
  await server.close();
  return 0;
}
