/** Types of n8n-runtime.mjs, for the end-to-end tests. */
import type { Credentials } from '../simulator/index.mjs';

import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export const repoRoot: string;

export interface RuntimeSpec {
	n8n: string;
	node: string;
	env: Record<string, string>;
}

export const supportedRuntimes: Record<string, RuntimeSpec>;
export const DEFAULT_RUNTIME: string;

/** One n8n version on one Node.js, and where it is installed. */
export interface N8nRuntime {
	key: string;
	n8nVersion: string;
	nodeVersion: string;
	dir: string;
	modulesDir: string;
	nodeHome: string | undefined;
	nodeBin: string;
	n8nEntry: string;
	marker: string;
	env: Record<string, string>;
}

export function cacheRoot(): string;
export function selectedRuntime(key?: string): N8nRuntime;
export function ensureN8n(options?: { log?: (message: string) => void; runtime?: N8nRuntime }): Promise<N8nRuntime>;
export function spawnN8n(
	args: string[],
	env: NodeJS.ProcessEnv,
	runtime?: N8nRuntime,
): ChildProcessByStdio<null, Readable, Readable>;

export function installPackage(userFolder: string): { version: string; files: number };

/** The environment without the markers test runners set (n8n logs nothing under NODE_ENV=test). */
export function withoutTestMarkers(env: NodeJS.ProcessEnv): Record<string, string>;

export function n8nEnvironment(
	userFolder: string,
	port?: number,
	brokerPort?: number,
	runtime?: N8nRuntime,
): NodeJS.ProcessEnv;

export interface CommandResult {
	code: number | null;
	/** The signal that ended the process, when one did (then `code` is null). */
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export function runN8nCommand(
	args: string[],
	env: NodeJS.ProcessEnv,
	options?: { timeoutMs?: number; runtime?: N8nRuntime },
): Promise<CommandResult>;

export function killProcessGroup(pid: number, signal?: NodeJS.Signals): void;

export type SimulatorCredentialType =
	'bloomreachEngagementApi' | 'customerGaugeApi' | 'customerGaugeOAuth2Api' | 'blueshiftApi';

export const simulatorCredentialRefs: Record<SimulatorCredentialType, { id: string; name: string }>;

export function simulatorCredentials(
	simulatorUrl: string,
	secrets: Credentials,
): Array<{ id: string; name: string; type: SimulatorCredentialType; data: Record<string, string> }>;

export type ExampleCredentialType = 'smtp' | 'httpHeaderAuth' | 'crypto';

export const exampleCredentialRefs: Record<ExampleCredentialType, { id: string; name: string }>;

export const WEBHOOK_TOKEN_HEADER: string;

export function exampleCredentials(settings: {
	smtpHost: string;
	smtpPort: number;
	webhookToken: string;
	logKey: string;
}): Array<{ id: string; name: string; type: ExampleCredentialType; data: Record<string, unknown> }>;

/** Distinct ports free on 127.0.0.1 right now. */
export function freePorts(count: number): Promise<number[]>;
