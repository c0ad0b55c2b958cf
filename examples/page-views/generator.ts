import { Serdes } from '@ts-streams/dsl';
import type { Generator } from '@ts-streams/runtime';
import { seededRandom } from '../shared/seeded-random.ts';
import { playPlan, type Planned } from '../shared/planned-input.ts';
import type { Click } from './topology.ts';

/** The topic the generator writes and its serdes: those the topology reads it with. */
export const clickInputs = { clickstream: { key: Serdes.String(), value: Serdes.JSON<Click>() } } as const;
export type PlannedClick = Planned<typeof clickInputs>;

/** Pages and how popular they are (weights), so that the top of the table is stable but not fixed. */
const PAGES: readonly (readonly [string, number])[] = [
  ['/home', 30], ['/products/laptop', 16], ['/products/phone', 14], ['/search', 12],
  ['/products/headphones', 9], ['/cart', 9], ['/checkout', 5], ['/about', 5],
];
const ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  '/home': ['hero-banner', 'nav-link', 'promo-card'],
  '/search': ['search-box', 'result-link', 'filter-chip'],
  '/cart': ['checkout-btn', 'remove-item-btn', 'quantity-input'],
  '/checkout': ['pay-btn', 'address-form', 'coupon-input'],
  '/about': ['nav-link', 'contact-link'],
};
const PRODUCT_ELEMENTS = ['add-to-cart-btn', 'buy-now-btn', 'image-gallery', 'reviews-tab'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
];
const USERS = 40;

/** How the page-views topology treats lateness (its windows: 5 minutes, 30 s grace); the plan's late clicks follow it. */
export const LATE_WITHIN_GRACE_MS = { min: 5_000, max: 20_000 } as const;
export const LATE_BEYOND_GRACE_MS = { min: 7 * 60_000, max: 10 * 60_000 } as const;

export interface ClickPlanOptions {
  readonly seed: number;
  /** Wall-clock start (epoch ms): live clicks are due from then on; history is due at once. */
  readonly startMs: number;
  /** Live clicks per second; default 3, enough for the counts to change every second or so. */
  readonly ratePerSecond?: number;
  /** How far back the history sent at start reaches (default 10 minutes: the table has windows at once). */
  readonly historyMs?: number;
  /** History clicks per second of history; default 1. */
  readonly historyPerSecond?: number;
}

/**
 * The clicks the page-views generator sends, a pure function of the seed and the start time: first a history of
 * the last 10 minutes (spanning two or three 5-minute windows), then live clicks at a modest rate, forever. Event
 * time follows the time a click is due, except for a few late ones — about 5% late by 5–20 s (within the 30 s
 * grace: still counted) and 3% late by 7–10 minutes (their window has closed: dropped, and counted as dropped).
 * The first clicks are never late, so that there is a stream time for them to be late against.
 */
export function* clickPlan(options: ClickPlanOptions): IterableIterator<PlannedClick> {
  const { seed, startMs, ratePerSecond = 3, historyMs = 10 * 60_000, historyPerSecond = 1 } = options;
  const random = seededRandom(seed);
  const historyStep = 1000 / historyPerSecond;
  const historyClicks = Math.floor(historyMs / historyStep);
  const liveStep = 1000 / ratePerSecond;
  for (let i = 0; ; i++) {
    const at = Math.round(i < historyClicks ? startMs - historyMs + i * historyStep : startMs + (i - historyClicks) * liveStep);
    const user = random.int(1, USERS);
    const userId = `user_${user}`;
    const pageUrl = random.weighted(PAGES);
    const elementId = random.pick(ELEMENTS[pageUrl] ?? PRODUCT_ELEMENTS);
    const lateness = i < 20 ? 0 : random.chance(0.05) ? random.int(LATE_WITHIN_GRACE_MS.min, LATE_WITHIN_GRACE_MS.max)
      : random.chance(0.03 / 0.95) ? random.int(LATE_BEYOND_GRACE_MS.min, LATE_BEYOND_GRACE_MS.max) : 0;
    const timestamp = at - lateness;
    const click: Click = {
      eventType: 'click',
      userId,
      pageUrl,
      elementId,
      timestamp: new Date(timestamp).toISOString(),
      // A user keeps one browser and address, as a real visitor would.
      userAgent: USER_AGENTS[user % USER_AGENTS.length]!,
      ipAddress: `192.168.1.${100 + user}`,
    };
    yield { at, topic: 'clickstream', record: { key: userId, value: click, timestamp } };
  }
}

/** The generator with its seed and rate chosen (tests use a fixed seed and a faster rate). */
export function pageViewsGenerator(options: Partial<Omit<ClickPlanOptions, 'startMs'>> = {}): Generator {
  return (context) => {
    const startMs = Date.now();
    return playPlan(context, clickInputs, clickPlan({ seed: startMs, ...options, startMs }));
  };
}

/** What `streams run examples/page-views` runs on the embedded default: realistic clicks until Ctrl-C. */
const generate: Generator = pageViewsGenerator();
export default generate;
