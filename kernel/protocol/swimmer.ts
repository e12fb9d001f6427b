/**
 * Messages between the extension and the swimmer view (postMessage). The host reads the run's
 * traces/pose.csv (every control step) and sends the body's outline at every step once; the view
 * animates it. Both directions have a zod schema, checked on arrival.
 */
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'must be finite');

/** The run the view shows; kept in its state so it reopens after a reload. */
export const swimmerSourceRef = z.strictObject({ run: z.string().min(1) });

export const MAX_POSE_FRAMES = 20_000;

/** Host → swimmer view. */
export const swimmerInbound = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('loading'), source: swimmerSourceRef, title: z.string(), message: z.string() }),
  z.strictObject({
    type: z.literal('open'),
    source: swimmerSourceRef,
    title: z.string(),
    links: z.int().min(1).max(100),
    /** Seconds, one per frame (the control steps). */
    times: z.array(finite).min(1).max(MAX_POSE_FRAMES),
    /** The outline of every frame, nose to tail (links + 1 points), frame after frame: x and y in metres. */
    x: z.array(finite),
    y: z.array(finite),
    /** [xmin, ymin, xmax, ymax] of every outline: the view's fixed frame. */
    bounds: z.tuple([finite, finite, finite, finite]),
  }),
  z.strictObject({ type: z.literal('error'), message: z.string() }),
]);

/** Swimmer view → host. */
export const swimmerOutbound = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('ready') })]);

export type SwimmerSourceRef = z.infer<typeof swimmerSourceRef>;
export type SwimmerInbound = z.infer<typeof swimmerInbound>;
export type SwimmerOutbound = z.infer<typeof swimmerOutbound>;
