import type { IHttpRequestOptions } from 'n8n-workflow';

// The credential types apply themselves with these functions rather than n8n's generic form
// (`={{$credentials.…}}`): n8n evaluates a generic form's expressions for every request, which
// costs more CPU than everything else these nodes do per request.

export function withBasicAuth(requestOptions: IHttpRequestOptions, username: unknown, password: unknown) {
	return { ...requestOptions, auth: { username: String(username ?? ''), password: String(password ?? '') } };
}

export function withHeader(requestOptions: IHttpRequestOptions, name: string, value: string) {
	return { ...requestOptions, headers: { ...requestOptions.headers, [name]: value } };
}
