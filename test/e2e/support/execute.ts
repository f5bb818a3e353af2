import type { IDataObject, IRun } from 'n8n-workflow';

import { runN8nCommand } from '../../../scripts/lib/n8n-runtime.mjs';
import { e2eContext } from '../context';

export interface CliExecution {
	code: number | null;
	/** The run data `n8n execute --rawOutput` prints after a successful execution. */
	run: IRun | undefined;
	/** Everything n8n printed, for failures. */
	output: string;
}

/** Runs an imported workflow with `n8n execute`, as a separate n8n process. */
export async function executeWorkflow(id: string): Promise<CliExecution> {
	const { code, signal, stdout, stderr } = await runN8nCommand(
		['execute', `--id=${id}`, '--rawOutput'],
		e2eContext().env,
	);
	const ended = signal ? `\n[n8n execute ended by ${signal}]` : '';
	return { code, run: code === 0 ? runData(stdout) : undefined, output: `${stdout}\n${stderr}${ended}` };
}

function runData(stdout: string): IRun {
	// n8n logs a few lines (task runner start-up) before the JSON document and may log one after
	// it (seen once on n8n 2.40.7): the document runs from "{" to "}", both at a line's start.
	const start = `\n${stdout}`.indexOf('\n{\n');
	const end = stdout.indexOf('\n}', start);
	if (start < 0 || end < 0) throw new Error(`n8n execute printed no run data:\n${stdout}`);
	return JSON.parse(stdout.slice(start, end + 2)) as IRun;
}

/** The JSON of the items a node output (first run, first output). */
export function outputOf(execution: CliExecution, nodeName: string): IDataObject[] {
	if (!execution.run) throw new Error(`The execution failed (exit code ${execution.code}):\n${execution.output}`);
	const runs = execution.run.data.resultData.runData[nodeName];
	if (!runs) throw new Error(`Node "${nodeName}" did not run`);
	return (runs[0].data?.main[0] ?? []).map((item) => item.json);
}
