/**
 * A real MCP server over stdio, for the tests: `node test/support/mcp/stdio-server.ts`.
 * Environment:
 *   FIXTURE_FAIL_START=config  write "fatal: no config at ~/.notes.toml" to stderr and exit with code 2
 *   FIXTURE_FAIL_START=login   the same with "cannot log in with <FIXTURE_SECRET>" (a server that leaks a token)
 *   FIXTURE_STARTS_FILE=<path> append one line per start (the tests count restarts with it)
 *   FIXTURE_SECRET=<value>     the `secret_env` tool says whether it was given (never its value)
 */
import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { registerFixtureTools } from './fixture-tools.ts';

const failStart = process.env.FIXTURE_FAIL_START;
if (failStart) {
  process.stderr.write(failStart === 'login' ? `cannot log in with ${process.env.FIXTURE_SECRET ?? ''}\n` : 'fatal: no config at ~/.notes.toml\n');
  process.exit(2);
}
if (process.env.FIXTURE_STARTS_FILE) appendFileSync(process.env.FIXTURE_STARTS_FILE, `${process.pid}\n`);

const server = new McpServer({ name: 'earshot-fixture-stdio', version: '1.0.0' });
registerFixtureTools(server, {
  crash() {
    process.stderr.write('fixture: crashing on purpose\n');
    // Exit on the next turn, so the line above reaches the pipe first.
    setImmediate(() => process.exit(3));
  },
});
server.registerTool('secret_env', { description: 'Whether FIXTURE_SECRET was given.', annotations: { readOnlyHint: true } }, async () => ({
  content: [{ type: 'text', text: process.env.FIXTURE_SECRET ? `FIXTURE_SECRET has ${process.env.FIXTURE_SECRET.length} characters` : 'FIXTURE_SECRET is not set' }],
}));

await server.connect(new StdioServerTransport());
