import type { MailMessage } from '../../../scripts/lib/mail-server.mjs';
import { e2eContext } from '../context';
import { until } from './waiting';

async function api<T>(method: 'GET' | 'DELETE', route: string): Promise<T> {
	const response = await fetch(`${e2eContext().inboxUrl}/api${route}`, { method });
	if (!response.ok) throw new Error(`mail server ${method} ${route}: HTTP ${response.status}`);
	return (await response.json()) as T;
}

/** The local mail server's inbox, seen from a test worker (it runs in the global setup). */
export const inbox = {
	messages: async () => await api<MailMessage[]>('GET', '/email'),
	clear: () => api('DELETE', '/email/all'),
	/** The messages sent to `address`, oldest first. */
	to: async (address: string) =>
		(await inbox.messages()).filter((message) => message.to.some((recipient) => recipient.address === address)),
	/** Waits for the `count`-th message to `address` and returns it. */
	nth: async (address: string, count: number) =>
		await until(`message ${count} to ${address}`, async () => (await inbox.to(address))[count - 1]),
};

/** The links of an email's HTML, in order, with HTML entities in them decoded. */
export const linksIn = (html: string) =>
	[...html.matchAll(/href="([^"]+)"/g)].map(([, href]) => href.replaceAll('&amp;', '&'));
