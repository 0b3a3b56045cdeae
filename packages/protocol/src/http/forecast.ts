import * as z from 'zod';

/** What a forecast predicts: a club's occupancy (next 3 h) or the server's message load (next 24 h). */
export const FORECAST_SUBJECTS = ['occupancy', 'messages_per_sec'] as const;
export const ForecastSubject = z.enum(FORECAST_SUBJECTS);
export type ForecastSubject = z.infer<typeof ForecastSubject>;

/** Hours ahead each subject is forecast. */
export const FORECAST_HORIZON_H = { occupancy: 3, messages_per_sec: 24 } as const;

/**
 * The model that produced a forecast: Holt-Winters additive with a weekly (168 h) or daily (24 h)
 * season, depending on how much history there is; `mean` with less than two days; `none` without data.
 */
export const FORECAST_MODELS = ['holt-winters-168', 'holt-winters-24', 'mean', 'none'] as const;
export const ForecastModel = z.enum(FORECAST_MODELS);

/** `GET /api/forecast/occupancy` query: one club's id; absent: the whole chain. */
export const OccupancyForecastQuery = z.strictObject({
  club: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'a club id')
    .optional(),
});
export type OccupancyForecastQuery = z.output<typeof OccupancyForecastQuery>;

/** One forecast hour: `at` its start (epoch ms), the expected value and its 95 % prediction interval. */
export const ForecastPoint = z.object({
  at: z.number(),
  mean: z.number(),
  low: z.number(),
  high: z.number(),
});
export type ForecastPoint = z.infer<typeof ForecastPoint>;

/** `GET /api/forecast/occupancy` and `GET /api/forecast/load` answer. */
export const ForecastDocument = z.object({
  subject: ForecastSubject,
  club: z.string().nullable(),
  model: ForecastModel,
  /** Hours of history the model was fitted to. */
  fittedHours: z.number().int().nonnegative(),
  /** Smoothing parameters chosen by the fit (level, trend, season). */
  params: z.object({ alpha: z.number(), beta: z.number(), gamma: z.number() }),
  /** Share of the interval: 0.95. */
  interval: z.number(),
  points: z.array(ForecastPoint),
  /** The load the server is configured to take (FORECAST_CAPACITY_MSGS_PER_SEC); null when unset or not load. */
  capacity: z.number().nullable(),
  generatedAt: z.number(),
});
export type ForecastDocument = z.infer<typeof ForecastDocument>;
