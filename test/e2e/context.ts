import { inject } from 'vitest';

import type { CommandResult } from '../../scripts/lib/n8n-runtime.mjs';
import type { Credentials } from '../../simulator/index.mjs';

/** What the global setup prepared, shared with every e2e file. */
export interface E2eContext {
	/** n8n's environment: 127.0.0.1, free ports, a fresh user folder with the packed package installed. */
	env: Record<string, string>;
	n8nUrl: string;
	simulatorUrl: string;
	simulatorSecrets: Credentials;
	/** The outcome of `n8n import:workflow` on examples/. */
	examplesImport: CommandResult;
	/** A started `n8n start` writes its process group ID here, for the teardown to stop it. */
	n8nPidFile: string;
	/** The local mail server's web inbox (MailDev); its API is under /api. */
	inboxUrl: string;
	/** The secret of the imported Header Auth credential the webhook examples require. */
	webhookToken: string;
	/** The key of the imported Crypto credential behind the erasure log's keyed hash. */
	logKey: string;
	/** The password of n8n's owner account, which the first test file to start n8n sets up. */
	ownerPassword: string;
}

declare module 'vitest' {
	export interface ProvidedContext {
		e2e: E2eContext;
	}
}

export const e2eContext = (): E2eContext => inject('e2e');
