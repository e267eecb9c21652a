/** A SpendRecorder that keeps every settled call, for tests to inspect. */
import type { SettledCall, SpendRecorder } from "../../src/spend/settlement.ts";

export class RecordingSpend implements SpendRecorder {
  readonly calls: SettledCall[] = [];

  record(call: SettledCall): void {
    this.calls.push(call);
  }

  /** The settled record of the call the client saw with this x-litellm-call-id. */
  byCallId(callId: string | null): SettledCall | undefined {
    return this.calls.find((c) => c.call_id === callId);
  }

  /** Waits until `count` calls are settled (streams settle after their last byte). */
  async waitFor(count: number, timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.calls.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} settled calls, got ${this.calls.length}`);
      await Bun.sleep(5);
    }
  }
}
