export interface MailMessage {
	id: string;
	time: string;
	subject: string;
	html: string;
	text: string;
	to: Array<{ address: string; name: string }>;
	from: Array<{ address: string; name: string }>;
}

export interface MailServer {
	smtpHost: string;
	smtpPort: number;
	inboxUrl: string;
	messages(): Promise<MailMessage[]>;
	clear(): Promise<unknown>;
	close(): Promise<void>;
}

export function startMailServer(options?: { smtpPort?: number; webPort?: number }): Promise<MailServer>;
