/**
 * A leaky bucket used as a meter (Blueshift documents one): each admitted request adds one unit,
 * the bucket drains `perSecond` units a second, and a request that would overflow `burst` units
 * is refused.
 */
export class LeakyBucket {
	/** @param {{ perSecond: number, burst: number }} limit */
	constructor({ perSecond, burst }) {
		this.perSecond = perSecond;
		this.burst = burst;
		this.level = 0;
		this.updatedAt = performance.now();
	}

	/**
	 * Admits a request or tells how long to wait.
	 * @returns {number} 0 when admitted, else the whole seconds (>= 1) a Retry-After should ask for
	 */
	take() {
		const now = performance.now();
		this.level = Math.max(0, this.level - ((now - this.updatedAt) / 1000) * this.perSecond);
		this.updatedAt = now;
		if (this.level + 1 <= this.burst) {
			this.level += 1;
			return 0;
		}
		return Math.max(1, Math.ceil((this.level + 1 - this.burst) / this.perSecond));
	}
}
