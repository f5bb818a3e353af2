// n8n in queue mode on this machine: Redis, Postgres, an n8n main process and n8n workers, each
// n8n process with its own user folder and this package installed from its tarball, in front of
// the vendor simulator. Everything listens on 127.0.0.1 only and is stopped by `stop()`, also when
// the process exits early. Used by `npm run test:scale`; run it directly
// (`node scripts/lib/scale-stack.mjs`, after `npm run build`) to try queue mode by hand.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	ensureN8n,
	installPackage,
	killProcessGroup,
	n8nEnvironment,
	repoRoot,
	runN8nCommand,
	simulatorCredentials,
	exampleCredentials,
	freePorts,
	withoutTestMarkers,
	spawnN8n,
} from './n8n-runtime.mjs';

const POSTGRES_ROOT = '/usr/lib/postgresql';
const DATABASE = { name: 'postgres', user: 'n8n' };
const isRoot = process.getuid?.() === 0;

/** Debian's Postgres server binaries (the newest installed major version), or undefined. */
function postgresBinDir() {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const [newest] = readdirSync(POSTGRES_ROOT)
		.filter((version) => existsSync(path.join(POSTGRES_ROOT, version, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return newest && path.join(POSTGRES_ROOT, newest, 'bin');
}

const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

/** Installs Debian's redis-server and postgresql when missing (as root), else says what to install. */
export function ensureServerPackages(log = console.log) {
	const missing = [!hasCommand('redis-server') && 'redis-server', !postgresBinDir() && 'postgresql'].filter(Boolean);
	if (missing.length === 0) return;
	if (!isRoot)
		throw new Error(`Queue mode needs ${missing.join(' and ')}: run \`sudo apt-get install -y ${missing.join(' ')}\``);
	log(`Installing ${missing.join(' and ')} from Debian's packages…`);
	execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
	execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The uid and gid Postgres runs as: the Postgres server refuses to run as root. */
function unprivilegedUser() {
	if (!isRoot) return {};
	const id = (flag) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

async function waitFor(what, ready, timeoutMs, output) {
	const deadline = Date.now() + timeoutMs;
	while (!(await ready())) {
		if (Date.now() > deadline)
			throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s:\n${output().slice(-3000)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

const answers = async (url) => {
	try {
		return (await fetch(url)).ok;
	} catch {
		return false;
	}
};

/**
 * Starts Redis, Postgres, n8n main (EXECUTIONS_MODE=queue) and `workers` n8n workers against
 * the simulator at `simulator.url`; imports the simulator credentials, the examples and
 * `workflows`. Resolves once every worker reports ready.
 */
export async function startScaleStack({
	simulator,
	workflows = [],
	workers = 2,
	workerConcurrency = 10,
	log = console.log,
}) {
	ensureServerPackages(log);
	const runtime = await ensureN8n({ log });
	const dirs = [];
	const tempDir = (name) => {
		const dir = mkdtempSync(path.join(tmpdir(), `n8n-erasure-scale-${name}-`));
		dirs.push(dir);
		return dir;
	};
	const root = tempDir('n8n');
	const children = [];
	const removeDirs = () => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
	const stopNow = () => {
		for (const child of children) killProcessGroup(child.pid, 'SIGKILL');
		removeDirs();
	};
	process.once('exit', stopNow);

	/** A server in its own process group, its output kept. */
	const track = (child) => {
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.exited = new Promise((resolve) => child.once('exit', resolve));
		children.push(child);
		return { child, output: () => output };
	};
	const start = (command, args, options = {}) =>
		track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options }));
	const startN8n = (args, env) => {
		const started = track(spawnN8n(args, env, runtime));
		started.child.isN8n = true;
		return started;
	};

	const stop = async () => {
		// n8n first (workers finish what they run), then Redis and Postgres (fast shutdown).
		const n8nChildren = children.filter((child) => child.isN8n);
		const servers = children.filter((child) => !child.isN8n);
		for (const group of [n8nChildren, servers]) {
			await Promise.all(
				group.map(async (child) => {
					killProcessGroup(child.pid, child.isPostgres ? 'SIGINT' : 'SIGTERM');
					const killer = setTimeout(() => killProcessGroup(child.pid, 'SIGKILL'), 20_000);
					if (child.exitCode === null && child.signalCode === null) await child.exited;
					clearTimeout(killer);
					killProcessGroup(child.pid, 'SIGKILL');
				}),
			);
		}
		process.off('exit', stopNow);
		removeDirs();
	};

	try {
		const [redisPort, postgresPort, mainPort, mainBrokerPort, ...workerPorts] = await freePorts(4 + workers * 2);
		const redis = await startRedis(start, tempDir('redis'), redisPort);
		const postgres = await startPostgres(start, tempDir('postgres'), postgresPort);

		const queueEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			QUEUE_BULL_REDIS_PASSWORD: redis.password,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgresPort),
			DB_POSTGRESDB_DATABASE: DATABASE.name,
			DB_POSTGRESDB_USER: DATABASE.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		};
		const n8nEnv = (name, port, brokerPort, extra = {}) => {
			const userFolder = path.join(root, name);
			mkdirSync(userFolder);
			installPackage(userFolder);
			return { ...withoutTestMarkers(n8nEnvironment(userFolder, port, brokerPort, runtime)), ...queueEnv, ...extra };
		};

		const mainEnv = n8nEnv('main', mainPort, mainBrokerPort);
		const webhookToken = randomBytes(24).toString('hex');
		await importInto(mainEnv, root, simulator, workflows, webhookToken);
		const main = startN8n(['start'], mainEnv);
		const workerHandles = Array.from({ length: workers }, (_, index) => {
			const [healthPort, brokerPort] = workerPorts.slice(index * 2, index * 2 + 2);
			const name = `worker-${index + 1}`;
			const env = n8nEnv(name, healthPort, brokerPort, {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			});
			const worker = startN8n(['worker', `--concurrency=${workerConcurrency}`], env);
			return {
				name,
				pid: worker.child.pid,
				output: worker.output,
				readinessUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`,
			};
		});

		const n8nUrl = `http://127.0.0.1:${mainPort}`;
		// /healthz answers before the REST and webhook routes exist; this line comes after them.
		await waitFor('n8n main', () => main.output().includes('Editor is now accessible'), 240_000, main.output);
		for (const worker of workerHandles) {
			await waitFor(worker.name, () => answers(worker.readinessUrl), 240_000, worker.output);
		}
		return {
			n8nUrl,
			webhookToken,
			workers: workerHandles,
			/** Rows of a query on n8n's Postgres database, as tab-separated fields. */
			sql: (query) => postgres.query(query),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

async function startRedis(start, dir, port) {
	const password = randomBytes(18).toString('hex');
	const config = path.join(dir, 'redis.conf');
	writeFileSync(config, `bind 127.0.0.1\nport ${port}\nrequirepass ${password}\nsave ""\nappendonly no\ndir ${dir}\n`, {
		mode: 0o600,
	});
	const redis = start('redis-server', [config]);
	await waitFor('Redis', () => redis.output().includes('Ready to accept connections'), 30_000, redis.output);
	return { password };
}

/** `dir` is handed to the unprivileged user; the n8n user folders stay private to us. */
async function startPostgres(start, dir, port) {
	const bin = postgresBinDir();
	const user = unprivilegedUser();
	const password = randomBytes(18).toString('hex');
	const data = path.join(dir, 'data');
	const passwordFile = path.join(dir, 'password');
	writeFileSync(passwordFile, password, { mode: 0o600 });
	if (isRoot) for (const file of [dir, passwordFile]) chownSync(file, user.uid, user.gid);
	const asUser = { cwd: dir, ...user };
	const initdb = spawnSync(
		path.join(bin, 'initdb'),
		['-D', data, '-U', DATABASE.user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale'],
		{ ...asUser, encoding: 'utf8' },
	);
	if (initdb.status !== 0) throw new Error(`initdb failed:\n${initdb.stdout}\n${initdb.stderr}`);
	const settings = {
		listen_addresses: '127.0.0.1',
		port,
		unix_socket_directories: '',
		fsync: 'off',
		max_connections: 100,
	};
	const args = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
	const postgres = start(path.join(bin, 'postgres'), ['-D', data, ...args], asUser);
	postgres.child.isPostgres = true;
	await waitFor('Postgres', () => postgres.output().includes('ready to accept connections'), 60_000, postgres.output);
	const query = (sql) => {
		const result = spawnSync(
			path.join(bin, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				DATABASE.user,
				'-d',
				DATABASE.name,
				'-At',
				'-F',
				'\t',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				sql,
			],
			{ env: { ...process.env, PGPASSWORD: password }, encoding: 'utf8' },
		);
		if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
		return result.stdout
			.split('\n')
			.filter(Boolean)
			.map((line) => line.split('\t'));
	};
	return { password, query };
}

/**
 * Credentials pointing at the simulator (and the examples' webhook token; no mail is sent here),
 * the examples and the given workflows, into Postgres.
 */
async function importInto(env, root, simulator, workflows, webhookToken) {
	const dir = path.join(root, 'import');
	mkdirSync(path.join(dir, 'workflows'), { recursive: true });
	const credentials = [
		...simulatorCredentials(simulator.url, simulator.credentials),
		...exampleCredentials({
			smtpHost: '127.0.0.1',
			smtpPort: 25,
			webhookToken,
			logKey: randomBytes(32).toString('hex'),
		}),
	];
	writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify(credentials));
	for (const workflow of workflows)
		writeFileSync(path.join(dir, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow));
	const imports = [
		['import:credentials', `--input=${path.join(dir, 'credentials.json')}`],
		['import:workflow', '--separate', `--input=${path.join(repoRoot, 'examples')}`],
		...(workflows.length > 0 ? [['import:workflow', '--separate', `--input=${path.join(dir, 'workflows')}`]] : []),
	];
	for (const args of imports) {
		const { code, stdout, stderr } = await runN8nCommand(args, env, { timeoutMs: 240_000 });
		if (code !== 0) throw new Error(`n8n ${args[0]} failed:\n${stdout}\n${stderr}`);
	}
	rmSync(dir, { recursive: true, force: true });
}

async function main() {
	const { startSimulator } = await import('../../simulator/index.mjs');
	const simulator = await startSimulator({
		port: Number(process.env.SIMULATOR_PORT ?? 4010),
		blueshift: { deletionDelayMs: 2000 },
	});
	let stack;
	const stop = async (code) => {
		await stack?.stop();
		await simulator.close();
		process.exit(code);
	};
	process.on('SIGINT', () => stop(0));
	process.on('SIGTERM', () => stop(0));
	try {
		stack = await startScaleStack({ simulator });
		console.log(
			`\nn8n in queue mode: ${stack.n8nUrl} (main), ${stack.workers.map((w) => `${w.name} pid ${w.pid}`).join(', ')}`,
		);
		console.log(`Simulator: ${simulator.url}/__simulator/requests. Ctrl-C stops everything.`);
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		await stop(1);
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
