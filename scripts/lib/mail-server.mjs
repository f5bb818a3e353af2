// A local mail server for trying and testing the examples: MailDev's SMTP server and web inbox,
// both on 127.0.0.1. n8n's Send Email node delivers to it through the imported SMTP credential;
// nothing is relayed anywhere. Used by `npm start`, the end-to-end and the browser tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { MailDev } from 'maildev';

import { freePorts } from './n8n-runtime.mjs';

/**
 * Starts MailDev on free (or given) ports. `messages()` lists what it received, newest last;
 * `clear()` empties the inbox; `close()` stops both servers and removes the stored mails.
 */
export async function startMailServer({ smtpPort = 0, webPort = 0 } = {}) {
	const mailDirectory = mkdtempSync(path.join(tmpdir(), 'n8n-erasure-mail-'));
	const [freeSmtp, freeWeb] = await freePorts(2);
	const [smtp, web] = [smtpPort || freeSmtp, webPort || freeWeb];
	const maildev = new MailDev({
		smtp,
		ip: '127.0.0.1',
		web,
		webIp: '127.0.0.1',
		mailDirectory,
		silent: true,
	});
	await maildev.start();
	const inboxUrl = `http://127.0.0.1:${web}`;

	const api = async (method, route) => {
		const response = await fetch(`${inboxUrl}/api${route}`, { method });
		if (!response.ok) throw new Error(`mail server ${method} ${route}: HTTP ${response.status}`);
		return await response.json();
	};

	return {
		smtpHost: '127.0.0.1',
		smtpPort: smtp,
		inboxUrl,
		/** Every message received so far, oldest first: `{ to, subject, html, text, … }`. */
		messages: async () => (await api('GET', '/email')).sort((a, b) => String(a.time).localeCompare(String(b.time))),
		clear: () => api('DELETE', '/email/all'),
		close: async () => {
			await maildev.stop();
			rmSync(mailDirectory, { recursive: true, force: true });
		},
	};
}
