// `npm start`: build, install the package into a local n8n (installed once, outside the repo),
// start the vendor simulator and a local mail server, import credentials pointing at them (and
// the webhook token and erasure-log key, generated once) and the example workflows, and run n8n
// on 127.0.0.1:5678 until Ctrl-C, which stops everything started here.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { startSimulator } from '../simulator/index.mjs';
import { startMailServer } from './lib/mail-server.mjs';
import {
	ensureN8n,
	exampleCredentials,
	installPackage,
	killProcessGroup,
	spawnN8n,
	n8nEnvironment,
	repoRoot,
	runN8nCommand,
	simulatorCredentials,
	WEBHOOK_TOKEN_HEADER,
} from './lib/n8n-runtime.mjs';

const N8N_PORT = Number(process.env.N8N_PORT ?? 5678);
const SIMULATOR_PORT = Number(process.env.SIMULATOR_PORT ?? 4010);
const MAIL_SMTP_PORT = Number(process.env.MAIL_SMTP_PORT ?? 2525);
const MAIL_INBOX_PORT = Number(process.env.MAIL_INBOX_PORT ?? 1080);
const userFolder = path.join(repoRoot, '.n8n-local');
const FORM_PATH = JSON.parse(
	readFileSync(path.join(repoRoot, 'examples', 'erase-my-data-form.json'), 'utf8'),
).nodes.find((node) => node.type === 'n8n-nodes-base.formTrigger').webhookId;

/**
 * The webhook token and the erasure log's key, made once per local n8n and kept in its folder
 * (outside git): a new key would make new log rows unmatchable with old ones. A missing entry is
 * made anew, which is how docs/privacy-officer.md (Rotating the webhook token) rotates it.
 */
function localSecrets() {
	const file = path.join(userFolder, 'secrets.json');
	const kept = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
	const secrets = {
		webhookToken: kept.webhookToken ?? randomBytes(24).toString('hex'),
		logKey: kept.logKey ?? randomBytes(32).toString('hex'),
	};
	mkdirSync(userFolder, { recursive: true });
	writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
	return secrets;
}

const step = (text) => console.log(`\n▶ ${text}`);

step('Building the package');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'inherit' });

step(`Preparing n8n`);
let runtime;
try {
	runtime = await ensureN8n();
} catch (error) {
	console.error(`\n✖ ${error.message}`);
	process.exit(1);
}
console.log(`  n8n ${runtime.n8nVersion} on Node.js ${runtime.nodeVersion}`);
const installed = installPackage(userFolder);
console.log(
	`  n8n-nodes-erasure ${installed.version} installed into ${path.relative(repoRoot, userFolder)}/.n8n/nodes`,
);

step('Starting the vendor simulator');
const simulator = await startSimulator({ port: SIMULATOR_PORT, blueshift: { deletionDelayMs: 2000 } });
console.log(`  ${simulator.url} (state: ${simulator.url}/__simulator/state)`);

step('Starting the local mail server');
const mail = await startMailServer({ smtpPort: MAIL_SMTP_PORT, webPort: MAIL_INBOX_PORT });
console.log(`  SMTP on ${mail.smtpHost}:${mail.smtpPort}, inbox at ${mail.inboxUrl}`);

let n8n;
let stopping = false;
async function stop(code = 0) {
	if (stopping) return;
	stopping = true;
	console.log('\nStopping n8n and the simulator…');
	if (n8n && n8n.exitCode === null) {
		killProcessGroup(n8n.pid, 'SIGTERM');
		await new Promise((resolve) => n8n.once('exit', resolve));
	}
	await simulator.close();
	await mail.close();
	process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

try {
	// Deadlines are dates in n8n's time zone, which defaults to America/New_York: use this machine's.
	const timeZone = process.env.GENERIC_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
	const env = { ...n8nEnvironment(userFolder, N8N_PORT), GENERIC_TIMEZONE: timeZone };
	console.log(`  n8n's time zone (deadlines are dates in it): ${timeZone}`);
	step('Importing credentials (pointing at the simulator) and the example workflows');
	const importDir = path.join(userFolder, 'import');
	mkdirSync(importDir, { recursive: true });
	const credentialsFile = path.join(importDir, 'credentials.json');
	const secrets = localSecrets();
	const credentials = [
		...simulatorCredentials(simulator.url, simulator.credentials),
		...exampleCredentials({ smtpHost: mail.smtpHost, smtpPort: mail.smtpPort, ...secrets }),
	];
	writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2), { mode: 0o600 });
	for (const args of [
		['import:credentials', `--input=${credentialsFile}`],
		['import:workflow', '--separate', `--input=${path.join(repoRoot, 'examples')}`],
	]) {
		const { code, stdout, stderr } = await runN8nCommand(args, env);
		if (code !== 0) throw new Error(`n8n ${args[0]} failed:\n${stdout}\n${stderr}`);
		console.log(`  ${stdout.trim().split('\n').pop()}`);
	}

	step(`Starting n8n on http://127.0.0.1:${N8N_PORT}`);
	n8n = spawnN8n(['start'], env);
	let n8nOutput = '';
	n8n.stdout.on('data', (chunk) => {
		n8nOutput += chunk;
		process.stdout.write(`  [n8n] ${chunk}`);
	});
	n8n.stderr.on('data', (chunk) => process.stderr.write(`  [n8n] ${chunk}`));
	n8n.on('exit', (code) => {
		if (!stopping) {
			console.error(`n8n exited (${code})`);
			stop(1);
		}
	});
	// /healthz answers before the editor and webhook routes exist; n8n prints this line when they do.
	await waitFor(() => n8nOutput.includes('Editor is now accessible'));

	console.log(`
────────────────────────────────────────────────────────────────────────────
 n8n is running with the erasure nodes:   http://127.0.0.1:${N8N_PORT}
 (first visit: create the local owner account; it stays in .n8n-local/)

 Try (each example must be published first: open it, then Publish):
  • "Erase my data (form)": open http://127.0.0.1:${N8N_PORT}/form/${FORM_PATH}
    and submit solo@example.com. Nothing is erased yet: open the inbox at
    ${mail.inboxUrl}, open the confirmation email, follow its link and confirm.
    A second email then says what each vendor did.
  • "Erase a list of people (webhook)": only callers with the token get in:
      curl -X POST http://127.0.0.1:${N8N_PORT}/webhook/erase-people \\
        -H 'content-type: application/json' -H '${WEBHOOK_TOKEN_HEADER}: ${secrets.webhookToken}' \\
        -d '{"people":[{"email":"grace@example.com"},{"email":"nobody@example.com"}]}'
    (the token is the credential "Erasure webhook token"; it is kept in .n8n-local/secrets.json)
  • "Nightly bulk erasure (schedule)": execute it by hand (a run by hand alerts nobody:
    n8n runs error workflows for production executions only).
  • "Erasure alerts (error workflow)": publish it too. Then make Bloomreach refuse once,
      curl -X PUT ${simulator.url}/__simulator/faults -H 'content-type: application/json' \\
        -d '[{"vendor":"bloomreach","endpoint":"anonymize_bulk","kind":"status","status":400}]'
    call "Erase a list of people" as above: the answer has a failed receipt, the execution
    fails on purpose, and privacy-team@example.com gets an alert in the inbox.
  • "Erase, verify later, keep a record (webhook)": set its Wait to a few seconds, publish, then
      curl -X POST http://127.0.0.1:${N8N_PORT}/webhook/erasure-request \\
        -H 'content-type: application/json' -H '${WEBHOOK_TOKEN_HEADER}: ${secrets.webhookToken}' \\
        -d '{"email":"solo@example.com"}'
    and open Overview > Data tables > "Erasure log".
  • "Erasure follow-up and summary (schedule)": execute it by hand (choose either trigger): it
    checks the open rows of the "Erasure log" again and the digest (or the monthly summary)
    arrives in the inbox, to privacy@example.com.
  • Simulator state, to see what changed:   ${simulator.url}/__simulator/state
    and every request it received:          ${simulator.url}/__simulator/requests
 Ctrl-C stops n8n, the simulator and the mail server.
────────────────────────────────────────────────────────────────────────────`);
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	await stop(1);
}

async function waitFor(ready, timeoutMs = 180_000) {
	const deadline = Date.now() + timeoutMs;
	while (!ready()) {
		if (Date.now() > deadline) throw new Error(`n8n did not become ready within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}
