/**
 * n8n's own HTTP Request node (n8n-nodes-base, from the engine's n8n install, else the one `npm start` uses), for the
 * comparison with doing the same job without this package.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import type { IVersionedNodeType } from 'n8n-workflow';

import { ensureN8n } from '../scripts/lib/n8n-runtime.mjs';
import { engineModules, httpRequestRuntime } from './engine.mjs';
import { versionIn } from './environment';

/** The type name n8n registers it under: n8n-core gives this type alone any credential type. */
const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';

/** The node, and which n8n it comes from. Installs n8n first if `npm start` has not yet. */
export async function loadHttpRequestNode(): Promise<{ node: IVersionedNodeType; origin: string }> {
	const runtimeModules = (await ensureN8n({ runtime: httpRequestRuntime })).modulesDir;
	const runtimeRequire = createRequire(path.join(runtimeModules, 'n8n-nodes-base', 'package.json'));
	shareOurN8nWorkflow(runtimeRequire);
	const { HttpRequest } = runtimeRequire('./dist/nodes/HttpRequest/HttpRequest.node.js') as {
		HttpRequest: new () => IVersionedNodeType;
	};
	const node = new HttpRequest();
	node.description.name = HTTP_REQUEST_TYPE;
	for (const version of Object.values(node.nodeVersions)) version.description.name = HTTP_REQUEST_TYPE;
	const origin = `n8n ${versionIn(runtimeModules, 'n8n')} (n8n-nodes-base ${versionIn(runtimeModules, 'n8n-nodes-base')}), HTTP Request version ${node.currentVersion}`;
	return { node, origin };
}

/**
 * The install may have its own copy of n8n-workflow (the same version). n8n-core, which runs the
 * node here, uses the engine's and tells classes apart with `instanceof` (ApplicationError, ExecutionBaseError,
 * Node), so the node must use the same instance. Node's module cache is keyed by file name: their
 * file name is pointed at our already-loaded module.
 */
function shareOurN8nWorkflow(runtimeRequire: NodeJS.Require) {
	const ourRequire = createRequire(path.join(engineModules, 'n8n-core', 'package.json'));
	const [ourVersion, theirVersion] = [ourRequire, runtimeRequire].map(
		(require) => (require('n8n-workflow/package.json') as { version: string }).version,
	);
	if (ourVersion !== theirVersion) {
		throw new Error(
			`n8n-workflow ${ourVersion} here, ${theirVersion} in the n8n install: the HTTP Request node cannot share the engine's`,
		);
	}
	const ours = ourRequire.resolve('n8n-workflow');
	const theirs = runtimeRequire.resolve('n8n-workflow');
	ourRequire(ours);
	if (theirs !== ours) ourRequire.cache[theirs] = ourRequire.cache[ours];
}
