/**
 * Sets a key on a copy of JSON-like data (a vendor's answer, a node parameter). Assigning to
 * `__proto__` would replace the copy's prototype instead, and JSON can carry that key.
 */
export function setOwn(target: Record<string, unknown>, key: string, entry: unknown): void {
	if (key === '__proto__')
		Object.defineProperty(target, key, { value: entry, enumerable: true, writable: true, configurable: true });
	else target[key] = entry;
}
