/** Page/size query parameters of the list routes, checked once and turned into offset/limit. */
import { ApiError } from "../errors.ts";

export interface Paging {
  page: number;
  size: number;
  offset: number;
  limit: number;
  totalPages(total: number): number;
}

export function paging(page: number | undefined, size: number | undefined, options: { sizeParam: string; defaultSize: number; maxSize: number }): Paging {
  const p = page ?? 1;
  const s = size ?? options.defaultSize;
  if (!Number.isInteger(p) || p < 1) throw new ApiError("validation", `page must be a whole number from 1, got ${p}`, { param: "page" });
  if (!Number.isInteger(s) || s < 1 || s > options.maxSize) {
    throw new ApiError("validation", `${options.sizeParam} must be a whole number from 1 to ${options.maxSize}, got ${s}`, { param: options.sizeParam });
  }
  return { page: p, size: s, offset: (p - 1) * s, limit: s, totalPages: (total) => Math.ceil(total / s) };
}
