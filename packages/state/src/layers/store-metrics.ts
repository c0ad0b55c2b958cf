/** Latency is measured on one call in SAMPLE_EVERY (a power of two) of each kind; counts are exact. */
const SAMPLE_EVERY = 1024;
export const SAMPLE_MASK = SAMPLE_EVERY - 1;

/** Plain counters kept by the metered layers. Latency totals are in ms over the sampled calls only. */
export class StoreMetrics {
  puts = 0;
  gets = 0;
  deletes = 0;
  scans = 0;
  flushes = 0;
  restored = 0;
  putSamples = 0;
  putSampledMs = 0;
  getSamples = 0;
  getSampledMs = 0;

  /** Mean put latency in ms over the sampled calls (NaN before any sample). */
  get putLatencyAvgMs(): number {
    return this.putSampledMs / this.putSamples;
  }

  get getLatencyAvgMs(): number {
    return this.getSampledMs / this.getSamples;
  }
}
