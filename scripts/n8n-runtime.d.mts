/** Types of n8n-runtime.mjs, for the end-to-end tests. */
import type { Credentials } from '../simulator/index.mjs';

export const N8N_VERSION: string;
export const repoRoot: string;
export const n8nBin: string;

export function ensureN8n(log?: (message: string) => void): string;

export function installPackage(userFolder: string): { version: string; files: number };

export function n8nEnvironment(userFolder: string, port?: number, brokerPort?: number): NodeJS.ProcessEnv;

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export function runN8nCommand(
	args: string[],
	env: NodeJS.ProcessEnv,
	options?: { timeoutMs?: number },
): Promise<CommandResult>;

export function killProcessGroup(pid: number, signal?: NodeJS.Signals): void;

export type SimulatorCredentialType = 'bloomreachEngagementApi' | 'customerGaugeApi' | 'blueshiftApi';

export const simulatorCredentialRefs: Record<SimulatorCredentialType, { id: string; name: string }>;

export function simulatorCredentials(
	simulatorUrl: string,
	secrets: Credentials,
): Array<{ id: string; name: string; type: SimulatorCredentialType; data: Record<string, string> }>;
