/** Small helpers shared by the rate-limit tests. */
import { expect } from "bun:test";
import type { Admission, Admitted, Denied } from "../../src/limits/index.ts";

/** A fresh descriptor value per test, so tests never share counters. */
export const uniqueId = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;

export function expectAdmitted(admission: Admission): Admitted {
  if (!admission.allowed) throw new Error(`expected admission, got denial: ${JSON.stringify(admission)}`);
  return admission;
}

export function expectDenied(admission: Admission): Denied {
  expect(admission.allowed).toBe(false);
  if (admission.allowed) throw new Error("expected a denial");
  return admission;
}

/** A clock tests move by hand. Starts 15 s into a 60 s window. */
export function manualClock(startMs = Date.UTC(2025, 0, 1, 12, 0, 15)) {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    set: (ms: number) => {
      t = ms;
    },
  };
}
