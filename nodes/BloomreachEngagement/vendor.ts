import type { IExecuteFunctions } from 'n8n-workflow';

import { requireSecureBaseUrl } from '../shared/input/urlRules';
import { requireText } from '../shared/input/valueRules';
import { basicAuthForms } from '../shared/privacy/redaction';
import type { Connection, Vendor } from '../shared/types/erasureOperation';

export interface BloomreachConnection extends Connection {
	projectUrl: string;
}

export const bloomreach: Vendor<BloomreachConnection> = {
	displayName: 'Bloomreach Engagement',
	async connect(context: IExecuteFunctions) {
		const credentials = await context.getCredentials('bloomreachEngagementApi');
		const baseUrl = requireSecureBaseUrl(credentials.instanceUrl, 'Instance URL');
		const projectToken = requireText(credentials.projectToken, 'Project Token');
		return {
			credentialType: 'bloomreachEngagementApi',
			baseUrl,
			projectUrl: `${baseUrl}/data/v2/projects/${encodeURIComponent(projectToken)}`,
			// The project token is in every URL: dry-run previews and messages show it redacted.
			secrets: [
				String(credentials.apiKeyId),
				String(credentials.apiSecret),
				projectToken,
				...basicAuthForms(String(credentials.apiKeyId), String(credentials.apiSecret)),
			],
		};
	},
};
