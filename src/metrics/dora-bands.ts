import type { PerformanceBand, PerformanceLevel } from './types.ts';

const report2024 = 'DORA, Accelerate State of DevOps Report 2024, software delivery performance clusters';
const report2023 = 'DORA, Accelerate State of DevOps Report 2023, software delivery performance clusters';

const hour = 1;
const day = 24 * hour;
const week = 7 * day;
const month = 30 * day;

function band(level: PerformanceLevel, source: string): PerformanceBand {
  return { level, source };
}

/** Deploys per day: elite deploy on demand (several a day), high daily to weekly, medium weekly to monthly, low less often. */
export function deploymentFrequencyBand(perDay: number): PerformanceBand {
  if (perDay >= 1) return band('elite', report2024);
  if (perDay >= 1 / 7) return band('high', report2024);
  if (perDay >= 1 / 30) return band('medium', report2024);
  return band('low', report2024);
}

/** Change lead time in hours: elite under a day, high under a week, medium under a month, low longer. */
export function leadTimeBand(hours: number): PerformanceBand {
  if (hours < day) return band('elite', report2024);
  if (hours < week) return band('high', report2024);
  if (hours < month) return band('medium', report2024);
  return band('low', report2024);
}

/**
 * Failed deployment recovery time in hours: elite under an hour, high under a day; the 2024 report gives
 * medium "under a day" too, so a day to a week is medium here and longer is low (its low: a week to a month).
 */
export function recoveryTimeBand(hours: number): PerformanceBand {
  if (hours < hour) return band('elite', report2024);
  if (hours < day) return band('high', report2024);
  if (hours < week) return band('medium', report2024);
  return band('low', report2024);
}

/**
 * Change fail rate in percent. The 2024 clusters' rates are not ordered (high 20%, medium 10%), so the
 * band uses the 2023 clusters: elite 5%, high 10%, medium 15%, low 64%.
 */
export function changeFailRateBand(rate: number): PerformanceBand {
  if (rate <= 5) return band('elite', report2023);
  if (rate <= 10) return band('high', report2023);
  if (rate <= 15) return band('medium', report2023);
  return band('low', report2023);
}
