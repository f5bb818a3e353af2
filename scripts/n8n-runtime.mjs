// A real n8n, installed once outside the repository, with this package installed into a user
// folder the way n8n installs a community package. Used by `npm start` and the end-to-end tests.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '2.8.4';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

const cacheRoot = process.env.N8N_ERASURE_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'n8n-erasure');
const runtimeDir = path.join(cacheRoot, `n8n-${N8N_VERSION}`);
export const n8nBin = path.join(runtimeDir, 'node_modules', '.bin', 'n8n');
// Written once npm install has finished: the n8n binary appears long before, so an interrupted
// install would otherwise be taken for a complete one.
const installedMarker = path.join(runtimeDir, 'install-complete');

/** Installs n8n once (4–5 minutes, about 2.3 GB); later calls return at once. */
export function ensureN8n(log = console.log) {
	if (existsSync(installedMarker)) return n8nBin;
	log(`Installing n8n ${N8N_VERSION} into ${runtimeDir} (once; takes a few minutes)…`);
	mkdirSync(runtimeDir, { recursive: true });
	writeFileSync(
		path.join(runtimeDir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-erasure-runtime',
				private: true,
				dependencies: { n8n: N8N_VERSION },
				// n8n's own xlsx dependency points at a host outside the npm registry.
				overrides: { xlsx: '0.18.5' },
			},
			null,
			2,
		),
	);
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: runtimeDir, stdio: 'inherit' });
	writeFileSync(installedMarker, `n8n ${N8N_VERSION}\n`);
	return n8nBin;
}

/**
 * Packs the built package and unpacks it into `<userFolder>/.n8n/nodes/node_modules`, dropping
 * dev and peer dependencies as n8n's community-package installer does.
 */
export function installPackage(userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', manifest.name);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', nodesDir], {
			cwd: repoRoot,
			encoding: 'utf8',
		}),
	);
	const tarball = path.join(nodesDir, packed.filename);
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	rmSync(tarball);
	const installed = JSON.parse(readFileSync(path.join(target, 'package.json'), 'utf8'));
	delete installed.devDependencies;
	delete installed.peerDependencies;
	writeFileSync(path.join(target, 'package.json'), JSON.stringify(installed, null, 2));
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [manifest.name]: installed.version } }, null, 2),
	);
	return { version: installed.version, files: packed.files.length };
}

/**
 * Environment for an n8n bound to 127.0.0.1 with its data in `userFolder`. Every n8n process,
 * `n8n execute` included, opens a task broker port, so two n8n side by side need different ones.
 */
export function n8nEnvironment(userFolder, port = 5678, brokerPort = port + 1) {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		DB_SQLITE_POOL_SIZE: '1',
	};
}

/**
 * Runs an n8n CLI command to completion; resolves with its output, whatever the exit code.
 * After `timeoutMs` its whole process group (n8n and its task runner) is killed.
 */
export function runN8nCommand(args, env, { timeoutMs = 120_000 } = {}) {
	return new Promise((resolve) => {
		const child = spawn(n8nBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let stdout = '';
		let stderr = '';
		const timer = setTimeout(() => {
			stderr += `\n[killed after ${timeoutMs} ms]`;
			killProcessGroup(child.pid, 'SIGKILL');
		}, timeoutMs);
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** Signals a process started with `detached: true` and everything it started; quiet if gone. */
export function killProcessGroup(pid, signal = 'SIGTERM') {
	try {
		process.kill(-pid, signal);
	} catch (error) {
		if (error.code !== 'ESRCH') throw error;
	}
}

/** How workflows refer to the imported simulator credentials, by credential type. */
export const simulatorCredentialRefs = {
	bloomreachEngagementApi: { id: 'simBloomreach001', name: 'Bloomreach Engagement (local simulator)' },
	customerGaugeApi: { id: 'simCustomerGauge1', name: 'CustomerGauge (local simulator)' },
	blueshiftApi: { id: 'simBlueshift00001', name: 'Blueshift (local simulator)' },
};

/** Credentials, in n8n's plain-text import format, that point the three nodes at the simulator. */
export function simulatorCredentials(simulatorUrl, secrets) {
	return [
		{
			...simulatorCredentialRefs.bloomreachEngagementApi,
			type: 'bloomreachEngagementApi',
			data: {
				instanceUrl: simulatorUrl,
				projectToken: secrets.bloomreach.projectToken,
				apiKeyId: secrets.bloomreach.apiKeyId,
				apiSecret: secrets.bloomreach.apiSecret,
			},
		},
		{
			...simulatorCredentialRefs.customerGaugeApi,
			type: 'customerGaugeApi',
			data: { region: 'custom', customBaseUrl: simulatorUrl, apiKey: secrets.customerGauge.apiKey },
		},
		{
			...simulatorCredentialRefs.blueshiftApi,
			type: 'blueshiftApi',
			data: { region: 'custom', customBaseUrl: simulatorUrl, userApiKey: secrets.blueshift.userApiKey },
		},
	];
}
