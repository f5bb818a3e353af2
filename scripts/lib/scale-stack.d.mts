/** Types of scale-stack.mjs, for the scale test. */
import type { Credentials } from '../simulator/index.mjs';

export interface ScaleWorker {
	name: string;
	/** The `n8n worker` process (its task runner is a child in the same process group). */
	pid: number;
	output(): string;
	readinessUrl: string;
}

export interface ScaleStack {
	n8nUrl: string;
	/** The secret of the imported "Erasure webhook token" credential the webhook examples require. */
	webhookToken: string;
	workers: ScaleWorker[];
	/** Rows of a query on n8n's Postgres database, as tab-separated fields. */
	sql(query: string): string[][];
	stop(): Promise<void>;
}

export function ensureServerPackages(log?: (message: string) => void): void;

export function startScaleStack(options: {
	simulator: { url: string; credentials: Credentials };
	workflows?: Array<{ id: string }>;
	workers?: number;
	workerConcurrency?: number;
	log?: (message: string) => void;
}): Promise<ScaleStack>;
