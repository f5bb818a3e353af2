/**
 * Submits an n8n form as a browser does: POST the fields to the production form URL, then wait
 * on the execution's form-waiting page until the workflow reaches its Form completion page.
 */
export async function submitForm(n8nUrl: string, formPath: string, fields: string[]): Promise<string> {
	const form = new FormData();
	fields.forEach((value, index) => form.append(`field-${index}`, value));
	const submitted = await fetch(`${n8nUrl}/form/${formPath}`, { method: 'POST', body: form });
	if (submitted.status !== 200) throw new Error(`form POST: HTTP ${submitted.status} ${await submitted.text()}`);
	const { formWaitingUrl } = (await submitted.json()) as { formWaitingUrl: string };

	const deadline = Date.now() + 30_000;
	for (;;) {
		const status = await (await fetch(`${formWaitingUrl}/n8n-execution-status`)).text();
		if (status === 'form-waiting' || status === 'success') break;
		if (status === 'error' || Date.now() > deadline) throw new Error(`form execution: ${status}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const page = await fetch(formWaitingUrl);
	if (page.status !== 200) throw new Error(`form completion page: HTTP ${page.status}`);
	return await page.text();
}
