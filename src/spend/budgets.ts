/**
 * Budget admission (API.md Part 1, "Budget comparison" and "Concurrency"): a request
 * is admitted only while, for every budget that applies to it,
 *
 *     stored spend + unflushed spend + reservations of requests in flight  <  max_budget
 *
 * and once admitted its estimated cost joins the reservations until it settles. The
 * check and the reservation run without an `await` between them, so concurrent
 * requests cannot all slip through the same gap: 200 parallel calls against a budget
 * for 10 admit about 10.
 *
 * Stored spend ("bases") is read from the database the first time an entity is seen,
 * advanced by every local flush, and re-read after each flush so spend written by
 * other instances is picked up within one flush interval. End-user ids come from
 * clients, so at most `maxBases` bases are kept per entity type; the oldest is dropped
 * (and read again when next needed).
 */
import { type SpendEntity, type SpendIncrements, emptyIncrements } from "../db/store/spend.ts";
import type { Store } from "../db/store/index.ts";
import { ApiError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { setBounded } from "../util/bounded-map.ts";

export interface BudgetLimit {
  entity: SpendEntity;
  id: string;
  maxBudget: number;
  /** The refusal message for a given current spend (each entity words it as LiteLLM does). */
  message: (spend: number) => string;
}

/** A soft budget: crossing it is recorded (logged once per window), never refused. */
export interface SoftBudget {
  entity: SpendEntity;
  id: string;
  softBudget: number;
}

export interface Reservation {
  /** Returns the reserved amount; the real cost arrives through the ledger. Idempotent. */
  release(): void;
}

export interface BudgetGuardOptions {
  store: Pick<Store, "readSpend">;
  unflushed: (entity: SpendEntity, id: string) => number;
  log: Logger;
  /** Bases kept per entity type (default 100,000; at least 1, or a call could never see its own). */
  maxBases?: number;
}

const MAX_BASES = 100_000;

/** One id across entity types (soft-budget crossings, base reads in flight). */
const entityKey = (entity: SpendEntity, id: string) => `${entity}\u0000${id}`;

const NO_RESERVATION: Reservation = { release: () => {} };

export class BudgetGuard {
  private readonly bases: SpendIncrements = emptyIncrements();
  private readonly reserved: SpendIncrements = emptyIncrements();
  private readonly loading = new Map<string, Promise<void>>();
  /** Entities whose soft budget crossing was already recorded in this window. */
  private readonly softCrossed = new Set<string>();

  constructor(private readonly options: BudgetGuardOptions) {}

  /** Stored + unflushed spend of an entity, as this instance knows it. */
  spendOf(entity: SpendEntity, id: string): number {
    return (this.bases[entity].get(id) ?? 0) + this.options.unflushed(entity, id);
  }

  /**
   * Admits the request against `limits` and reserves `estimate()` USD on each, or throws
   * 400 budget_exceeded. The estimate is only computed when some budget applies.
   */
  async admit(limits: readonly BudgetLimit[], estimate: () => number): Promise<Reservation> {
    if (limits.length === 0) return NO_RESERVATION;
    // No await inside: the check and the reservation are one step.
    return this.withBases(limits, () => {
      for (const limit of limits) {
        const spend = this.spendOf(limit.entity, limit.id) + (this.reserved[limit.entity].get(limit.id) ?? 0);
        if (!(spend < limit.maxBudget)) throw new ApiError("budget_exceeded", limit.message(round(spend)));
      }
      const amount = Math.max(0, estimate());
      for (const limit of limits) adjust(this.reserved[limit.entity], limit.id, amount);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          for (const limit of limits) adjust(this.reserved[limit.entity], limit.id, -amount);
        },
      };
    });
  }

  /**
   * After a flush: the database now holds what was unflushed, so bases advance by it at
   * once (spend stays continuous), then are re-read to include other instances' spend.
   */
  onFlushed(applied: SpendIncrements): void {
    const ids: { [K in SpendEntity]?: string[] } = {};
    for (const entity of Object.keys(applied) as SpendEntity[]) {
      for (const [id, amount] of applied[entity]) {
        if (!this.bases[entity].has(id)) continue;
        adjust(this.bases[entity], id, amount);
        (ids[entity] ??= []).push(id);
      }
    }
    this.options.store.readSpend(ids).then(
      (fresh) => {
        for (const entity of Object.keys(fresh) as SpendEntity[]) for (const [id, spend] of fresh[entity]) this.setBase(entity, id, spend);
      },
      (err) => this.options.log.warn("re-reading spend after a flush failed", { error: String(err) }),
    );
  }

  /** A budget window closed (budget_duration): the entity starts again from zero. */
  resetBase(entity: SpendEntity, id: string): void {
    this.setBase(entity, id, 0);
    this.softCrossed.delete(entityKey(entity, id));
  }

  /**
   * After a call settled: records (once per window) each soft budget its spend has now
   * reached, as a `soft_budget_crossed` warning; nothing is refused.
   */
  async noteSoftBudgets(softBudgets: readonly SoftBudget[]): Promise<void> {
    const open = softBudgets.filter(({ entity, id }) => !this.softCrossed.has(entityKey(entity, id)));
    if (open.length === 0) return;
    await this.withBases(open, () => {
      for (const { entity, id, softBudget } of open) {
        const key = entityKey(entity, id);
        if (this.softCrossed.has(key)) continue;
        const spend = this.spendOf(entity, id);
        if (spend < softBudget) continue;
        this.softCrossed.add(key);
        this.options.log.warn("soft_budget_crossed", { entity, id, spend: round(spend), soft_budget: softBudget });
      }
    });
  }

  /**
   * Runs `use` once the base of every entity is loaded, right after the check that says
   * so: a base loaded for another call meanwhile may have pushed one of these out.
   */
  private async withBases<T>(entities: readonly { entity: SpendEntity; id: string }[], use: () => T): Promise<T> {
    const missing = () => entities.filter(({ entity, id }) => !this.bases[entity].has(id));
    for (let absent = missing(); absent.length > 0; absent = missing()) {
      await Promise.all(absent.map(({ entity, id }) => this.loadBase(entity, id)));
    }
    return use();
  }

  private setBase(entity: SpendEntity, id: string, spend: number): void {
    setBounded(this.bases[entity], id, spend, Math.max(1, this.options.maxBases ?? MAX_BASES));
  }

  /** One read per entity however many requests wait for it. */
  private loadBase(entity: SpendEntity, id: string): Promise<void> {
    const key = entityKey(entity, id);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.options.store
        .readSpend({ [entity]: [id] })
        .then((spend) => {
          if (!this.bases[entity].has(id)) this.setBase(entity, id, spend[entity].get(id) ?? 0);
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }
}

function adjust(map: Map<string, number>, id: string, amount: number): void {
  const next = (map.get(id) ?? 0) + amount;
  if (Math.abs(next) < 1e-15) map.delete(id);
  else map.set(id, next);
}

/** Messages show spend the way LiteLLM prints floats, without binary noise. */
function round(spend: number): number {
  return Number(spend.toPrecision(12));
}
