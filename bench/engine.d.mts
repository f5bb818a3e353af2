import type { N8nRuntime } from '../scripts/lib/n8n-runtime.mjs';

/** The folder the engine's packages (n8n-workflow, n8n-core, @n8n/di, @n8n/backend-common) come from. */
export const engineModules: string;
/** The n8n install whose n8n-nodes-base gives the HTTP Request node: the engine's, else the default. */
export const httpRequestRuntime: N8nRuntime;
/** Module aliases that make the harness, the nodes and n8n-core share the engine's packages. */
export function engineAliases(): Record<string, string>;
