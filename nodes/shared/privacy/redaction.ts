import { mapStrings } from './mapStrings';

export type Redact = (text: string) => string;

/** The value of an HTTP Basic `Authorization` header's credentials, as the request carries it. */
export function basicAuthForms(user: string, password: string): string[] {
	const pair = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
	return [pair, pair.replace(/=+$/, '')];
}

/**
 * Hides every credential value in a text, in each form the node itself sends it: as given,
 * URL-encoded (in a path or query) and any extra forms the vendor adds (the base64 of a Basic
 * pair). Longer forms go first, so a secret inside another form cannot leave a remnant.
 */
export function redactor(secrets: string[]): Redact {
	const forms = new Set<string>();
	for (const secret of secrets) {
		if (secret.length < 4) continue;
		forms.add(secret);
		forms.add(encodeURIComponent(secret));
	}
	const hidden = [...forms].sort((a, b) => b.length - a.length);
	if (hidden.length === 0) return (text) => text;
	return (text) => {
		let result = text;
		for (const form of hidden) if (result.includes(form)) result = result.split(form).join('[redacted]');
		return result;
	};
}

/**
 * The secrets of one run, to which more are added as they appear: n8n fetches and renews OAuth2
 * tokens during a run, and every token it held at any point is hidden from then on, wherever the
 * text comes from (an answer to a request sent with an older token, the node's stop error).
 */
export class SecretSet {
	private readonly secrets: Set<string>;

	private hide: Redact;

	constructor(secrets: string[]) {
		this.secrets = new Set(secrets);
		this.hide = redactor(secrets);
	}

	add(secret: unknown): void {
		if (typeof secret !== 'string' || secret.length < 4 || this.secrets.has(secret)) return;
		this.secrets.add(secret);
		this.hide = redactor([...this.secrets]);
	}

	readonly redact: Redact = (text) => this.hide(text);
}

/** A vendor's answer with every string in it (keys too) redacted, before anything quotes it. */
export function redactDeep(value: unknown, redact: Redact): unknown {
	return mapStrings(value, redact, { keys: true });
}
