// Once per e2e run: the cached n8n, a fresh user folder with the packed package installed as a
// community package, the vendor simulator, and credentials and workflows imported with n8n's CLI.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TestProject } from 'vitest/node';

import { type MailServer, startMailServer } from '../../scripts/lib/mail-server.mjs';
import {
	ensureN8n,
	exampleCredentials,
	freePorts,
	installPackage,
	killProcessGroup,
	n8nEnvironment,
	repoRoot,
	runN8nCommand,
	simulatorCredentials,
	withoutTestMarkers,
} from '../../scripts/lib/n8n-runtime.mjs';
import { type Simulator, startSimulator } from '../../simulator/index.mjs';
import type { E2eContext } from './context';
import { readOnlyBloomreachCredential } from './workflows/bloomreach';
import { e2eWorkflows } from './workflows';
import { mcpToolsWorkflow } from './workflows/mcpTools';

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

function requireBuild() {
	const { n8n } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const missing = [...n8n.nodes, ...n8n.credentials].filter((file) => !existsSync(path.join(repoRoot, file)));
	if (missing.length > 0) {
		throw new Error(`Build the package first (npm run test:e2e does): missing ${missing.join(', ')}`);
	}
}

async function importInto(env: E2eContext['env'], args: string[]) {
	const result = await runN8nCommand(args, env);
	if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

function credentialsFor(simulator: Simulator, mail: MailServer, secrets: { webhookToken: string; logKey: string }) {
	const { bloomreach } = simulator.credentials;
	return [
		...simulatorCredentials(simulator.url, simulator.credentials),
		...exampleCredentials({ smtpHost: mail.smtpHost, smtpPort: mail.smtpPort, ...secrets }),
		{
			...readOnlyBloomreachCredential,
			type: 'bloomreachEngagementApi',
			data: {
				instanceUrl: simulator.url,
				projectToken: bloomreach.projectToken,
				apiKeyId: bloomreach.readOnlyKeyId,
				apiSecret: bloomreach.readOnlySecret,
			},
		},
	];
}

/** Stops an `n8n start` a test file left behind (a crashed worker cannot stop it itself). */
function stopLeftoverN8n(pidFile: string) {
	if (!existsSync(pidFile)) return;
	killProcessGroup(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
	rmSync(pidFile);
}

export default async function setup(project: TestProject) {
	const started = performance.now();
	requireBuild();
	const runtime = await ensureN8n();
	console.log(`e2e: n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion} (${runtime.dir})`);
	const userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-erasure-e2e-'));
	const n8nPidFile = path.join(userFolder, 'n8n-start.pid');
	let simulator: Simulator | undefined;
	let mail: MailServer | undefined;

	const cleanUp = () => {
		stopLeftoverN8n(n8nPidFile);
		rmSync(userFolder, { recursive: true, force: true });
	};
	process.once('exit', cleanUp);
	const teardown = async () => {
		await simulator?.close();
		await mail?.close();
		cleanUp();
		process.off('exit', cleanUp);
		console.log(`e2e: finished ${seconds(started)} after the start of the global setup`);
	};

	try {
		installPackage(userFolder);
		simulator = await startSimulator({ port: 0, blueshift: { deletionDelayMs: 0 } });
		mail = await startMailServer();
		const secrets = { webhookToken: randomBytes(24).toString('hex'), logKey: randomBytes(32).toString('hex') };
		const [n8nPort, brokerPort] = await freePorts(2);
		const env = withoutTestMarkers(n8nEnvironment(userFolder, n8nPort, brokerPort));

		const importDir = path.join(userFolder, 'import');
		mkdirSync(path.join(importDir, 'workflows'), { recursive: true });
		const credentialsFile = path.join(importDir, 'credentials.json');
		writeFileSync(credentialsFile, JSON.stringify(credentialsFor(simulator, mail, secrets)));
		for (const workflow of [...e2eWorkflows, mcpToolsWorkflow()]) {
			writeFileSync(path.join(importDir, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow));
		}
		await importInto(env, ['import:credentials', `--input=${credentialsFile}`]);
		await importInto(env, ['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`]);
		const examplesImport = await runN8nCommand(
			['import:workflow', '--separate', `--input=${path.join(repoRoot, 'examples')}`],
			env,
		);

		project.provide('e2e', {
			env,
			n8nUrl: `http://127.0.0.1:${n8nPort}`,
			simulatorUrl: simulator.url,
			simulatorSecrets: simulator.credentials,
			examplesImport,
			n8nPidFile,
			inboxUrl: mail.inboxUrl,
			...secrets,
			ownerPassword: `E2e-${randomBytes(12).toString('hex')}`,
		});
		console.log(`e2e: n8n user folder, simulator and imports ready in ${seconds(started)}`);
	} catch (error) {
		await teardown();
		throw error;
	}
	return teardown;
}
