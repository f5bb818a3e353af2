import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { selectedRuntime } from '../../../scripts/lib/n8n-runtime.mjs';

/** A value found in a row of n8n's database. */
export interface DatabaseHit {
	needle: string;
	table: string;
	column: string;
	/** The row's execution, for tables that have one (`executionId`, or `id` in execution_entity). */
	executionId: string | null;
}

export interface StoredExecution {
	id: string;
	workflowId: string;
	status: string;
	/** Set when n8n marked the execution deleted (soft deletion); its rows go at the next hard deletion. */
	deletedAt: string | null;
}

/**
 * Reads every row of every table of n8n's SQLite database, with the runtime's own sqlite3 module
 * and Node.js (its native build matches that Node, not necessarily the one running the tests), and
 * reports each column holding one of the needles (case-insensitive), and every execution n8n holds.
 * Read-only: it can run beside n8n (SQLite's write-ahead log lets readers in).
 */
export function searchDatabase(
	databaseFile: string,
	needles: string[],
): { hits: DatabaseHit[]; executions: StoredExecution[]; tables: string[] } {
	const runtime = selectedRuntime();
	const script = `
const { Database, OPEN_READONLY } = require(${JSON.stringify(path.join(runtime.modulesDir, 'sqlite3'))});
const needles = ${JSON.stringify(needles.map((needle) => needle.toLowerCase()))};
const db = new Database(${JSON.stringify(databaseFile)}, OPEN_READONLY);
const all = (sql) => new Promise((resolve, reject) => db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows))));
(async () => {
	const tables = (await all("select name from sqlite_master where type = 'table'")).map((row) => row.name);
	const hits = [];
	for (const table of tables) {
		for (const row of await all('select * from "' + table.replaceAll('"', '""') + '"')) {
			for (const [column, value] of Object.entries(row)) {
				if (value === null || value === undefined) continue;
				const text = (Buffer.isBuffer(value) ? value.toString('utf8') : String(value)).toLowerCase();
				for (const needle of needles) {
					if (!text.includes(needle)) continue;
					const executionId = row.executionId ?? (table === 'execution_entity' ? row.id : null);
					hits.push({ needle, table, column, executionId: executionId === null || executionId === undefined ? null : String(executionId) });
				}
			}
		}
	}
	const executions = (await all('select id, workflowId, status, deletedAt from execution_entity')).map((row) => ({ ...row, id: String(row.id) }));
	process.stdout.write(JSON.stringify({ hits, executions, tables }));
	db.close();
})().catch((error) => { console.error(error); process.exit(1); });`;
	const result = spawnSync(runtime.nodeBin, ['-e', script], {
		encoding: 'utf8',
		timeout: 60_000,
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) throw new Error(`reading ${databaseFile} failed:\n${result.stderr}`);
	return JSON.parse(result.stdout) as { hits: DatabaseHit[]; executions: StoredExecution[]; tables: string[] };
}

/**
 * The files of n8n's user folder (`<N8N_USER_FOLDER>/.n8n`) holding one of the needles, in bytes:
 * the database files too (deleted rows can stay in SQLite's free pages), the installed packages not.
 */
export function searchFiles(
	n8nFolder: string,
	needles: string[],
): Array<{ file: string; needle: string; count: number }> {
	const found: Array<{ file: string; needle: string; count: number }> = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir)) {
			const file = path.join(dir, entry);
			if (file === path.join(n8nFolder, 'nodes')) continue;
			if (statSync(file).isDirectory()) {
				walk(file);
				continue;
			}
			const text = readFileSync(file).toString('latin1').toLowerCase();
			for (const needle of needles) {
				const count = text.split(needle.toLowerCase()).length - 1;
				if (count > 0) found.push({ file: path.relative(n8nFolder, file), needle, count });
			}
		}
	};
	if (existsSync(n8nFolder)) walk(n8nFolder);
	return found;
}

/**
 * Runs `VACUUM` (what `n8n start` runs with DB_SQLITE_VACUUM_ON_STARTUP=true), then checkpoints the
 * write-ahead log into the file and empties it, with the runtime's sqlite3. Run it while n8n is stopped.
 */
export function vacuumDatabase(databaseFile: string) {
	const runtime = selectedRuntime();
	const script = `
const { Database } = require(${JSON.stringify(path.join(runtime.modulesDir, 'sqlite3'))});
const db = new Database(${JSON.stringify(databaseFile)});
db.exec('VACUUM; PRAGMA wal_checkpoint(TRUNCATE);', (error) => { if (error) { console.error(error); process.exit(1); } db.close(); });`;
	const result = spawnSync(runtime.nodeBin, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
	if (result.status !== 0) throw new Error(`VACUUM of ${databaseFile} failed:\n${result.stderr}`);
}
