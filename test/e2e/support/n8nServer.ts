import { rmSync, writeFileSync } from 'node:fs';

import { killProcessGroup, spawnN8n } from '../../../scripts/lib/n8n-runtime.mjs';
import { e2eContext } from '../context';
import { waitUntil } from './waiting';

export interface RunningN8n {
	url: string;
	stop(): Promise<void>;
}

/**
 * `n8n start` on the e2e user folder, in its own process group, with `extraEnv` added to its
 * environment; resolves once the editor is up.
 */
export async function startN8n(extraEnv: Record<string, string> = {}): Promise<RunningN8n> {
	const { env, n8nUrl, n8nPidFile } = e2eContext();
	const child = spawnN8n(['start'], { ...env, ...extraEnv });
	writeFileSync(n8nPidFile, String(child.pid));
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			killProcessGroup(child.pid!, 'SIGTERM');
			const killer = setTimeout(() => killProcessGroup(child.pid!, 'SIGKILL'), 15_000);
			await exited;
			clearTimeout(killer);
		}
		rmSync(n8nPidFile, { force: true });
	};

	try {
		// /healthz answers before the REST and webhook routes exist; this line comes after them.
		await waitUntil(
			() => output.includes('Editor is now accessible') || child.exitCode !== null,
			120_000,
			() => `n8n start did not come up:\n${output}`,
		);
		if (child.exitCode !== null) throw new Error(`n8n start exited with ${child.exitCode}:\n${output}`);
	} catch (error) {
		await stop();
		throw error;
	}
	return { url: n8nUrl, stop };
}

export interface RestAnswer<T> {
	status: number;
	data: T;
}

export type Rest = (<T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<RestAnswer<T>>) & {
	/** The owner's session cookie, for a browser. */
	cookie: string;
};

const OWNER_EMAIL = 'owner@example.com';

/**
 * Sets up the instance owner (a fresh user folder has none), or logs in as them when an earlier
 * test file already did, and returns a REST client with their session.
 */
export async function ownerSession(n8nUrl: string, password = e2eContext().ownerPassword): Promise<Rest> {
	const post = (path: string, body: unknown) =>
		fetch(`${n8nUrl}/rest${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	let session = await post('/owner/setup', { email: OWNER_EMAIL, firstName: 'End', lastName: 'ToEnd', password });
	if (session.status === 400) session = await post('/login', { emailOrLdapLoginId: OWNER_EMAIL, password });
	if (session.status !== 200) throw new Error(`owner session: HTTP ${session.status} ${await session.text()}`);
	const cookie = session.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.join('; ');

	const rest = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RestAnswer<T>> => {
		const response = await fetch(`${n8nUrl}/rest${path}`, {
			method,
			headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const { data } = (await response.json()) as { data: T };
		return { status: response.status, data };
	};
	return Object.assign(rest, { cookie });
}

/** Asks a production route without starting an execution: a CORS preflight for a webhook, the page of a form. */
export interface RouteProbe {
	method: 'OPTIONS' | 'GET';
	path: string;
}

/**
 * Publishes a workflow as the editor's Publish button does, then waits until its production route
 * answers: n8n 2.x registers triggers after the REST call returns.
 */
export async function publishWorkflow(n8nUrl: string, rest: Rest, workflowId: string, probe: RouteProbe) {
	const { data: workflow } = await rest<{ versionId: string }>('GET', `/workflows/${workflowId}`);
	const published = await rest<{ activeVersionId: string | null }>('POST', `/workflows/${workflowId}/activate`, {
		versionId: workflow.versionId,
	});
	if (published.status !== 200)
		throw new Error(`publishing ${workflowId}: HTTP ${published.status} ${JSON.stringify(published.data)}`);
	const deadline = Date.now() + 30_000;
	for (;;) {
		const response = await fetch(`${n8nUrl}${probe.path}`, {
			method: probe.method,
			headers: { origin: n8nUrl, 'access-control-request-method': 'POST' },
		});
		await response.arrayBuffer();
		if (response.ok) return;
		if (Date.now() > deadline)
			throw new Error(`${probe.method} ${probe.path} still answers ${response.status} 30 s after publishing`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
