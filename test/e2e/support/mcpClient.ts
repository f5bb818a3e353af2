import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * How an MCP client reaches n8n's MCP Server Trigger: version 1 and 1.1 of the trigger serve SSE
 * (`<path>/sse`, messages posted to `<path>/messages`); version 2 serves Streamable HTTP (and SSE)
 * on `<path>` itself.
 */
export type McpTransport = 'sse' | 'streamableHttp';

export interface McpSession {
	client: Client;
	/** Calls a tool and returns the text of its answer, and whether the server marked it an error. */
	call(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }>;
	close(): Promise<void>;
}

/** An MCP client from the official SDK, connected to the trigger's production URL (`<n8n>/mcp/<path>`). */
export async function connectMcp(serverUrl: string, transport: McpTransport): Promise<McpSession> {
	const client = new Client({ name: 'n8n-nodes-erasure-e2e', version: '1.0.0' });
	await client.connect(
		transport === 'sse'
			? new SSEClientTransport(new URL(`${serverUrl}/sse`))
			: new StreamableHTTPClientTransport(new URL(serverUrl)),
	);
	return {
		client,
		async call(name, args) {
			const result = await client.callTool({ name, arguments: args });
			const content = result.content as Array<{ type: string; text?: string }>;
			return { text: content.map((part) => part.text ?? '').join(''), isError: result.isError === true };
		},
		close: () => client.close(),
	};
}
