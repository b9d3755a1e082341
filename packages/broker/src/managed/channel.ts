import type { Worker } from "node:worker_threads";
import { ZmqcError } from "@zmqc/config";
import type { ZapRefusal } from "../zap.js";
import type { FromWorker, ToWorker, WorkerQuery } from "./protocol.js";

type Answer<Q extends WorkerQuery> = Q extends "subscriptions" ? Map<string, number> : Map<string, bigint>;

interface Pending {
  readonly query: WorkerQuery;
  resolve(value: Map<string, number> | Map<string, bigint>): void;
  reject(error: Error): void;
}

/**
 * The main thread's end of the worker: the first message (ready or why not), queries and their answers, the
 * request to stop, and how the worker ended.
 */
export class WorkerChannel {
  /** Called for every client the ZAP handler refused (the worker counts them in shared memory too). */
  onRefused: (refusal: ZapRefusal) => void = () => {};
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #error: Error | undefined;
  #stopRequested = false;
  #forced = false;
  #final: Extract<FromWorker, { type: "stopped" }> | undefined;
  #exited = false;
  /** The worker's first message; rejects if the worker dies before sending one. */
  readonly first: Promise<FromWorker>;
  /** Resolves when the worker has exited: undefined after a requested stop, the reason otherwise. Never rejects. */
  readonly closed: Promise<Error | undefined>;

  constructor(worker: Worker) {
    this.#worker = worker;
    let settleFirst: { resolve(message: FromWorker): void; reject(error: Error): void } | undefined;
    this.first = new Promise((resolve, reject) => {
      settleFirst = { resolve, reject };
    });
    worker.on("message", (message: FromWorker) => {
      if (settleFirst !== undefined) {
        settleFirst.resolve(message);
        settleFirst = undefined;
      }
      this.#onMessage(message);
    });
    worker.on("error", (error) => {
      this.#error ??= error;
    });
    this.closed = new Promise((resolve) => {
      worker.once("exit", (code) => {
        this.#exited = true;
        const outcome = this.#outcome(code);
        settleFirst?.reject(
          outcome ?? new ZmqcError("CLOSED", "the managed broker's worker exited before starting"),
        );
        for (const pending of this.#pending.values()) pending.reject(this.#closedError());
        this.#pending.clear();
        resolve(outcome);
      });
    });
  }

  /** Asks the worker for a table; after the worker has stopped, answers with its final state. */
  query<Q extends WorkerQuery>(query: Q): Promise<Answer<Q>> {
    if (this.#exited || this.#stopRequested) {
      const final = this.#final;
      if (final === undefined) return Promise.reject(this.#closedError());
      return Promise.resolve((query === "subscriptions" ? final.subscriptions : final.topics) as Answer<Q>);
    }
    const id = this.#nextId++;
    return new Promise<Answer<Q>>((resolve, reject) => {
      this.#pending.set(id, { query, resolve: resolve as Pending["resolve"], reject });
      this.#send({ type: "query", id, query });
    });
  }

  /** Asks the worker to stop; if it has not exited after `graceMs`, terminates it (and `closed` says so). */
  stop(graceMs: number): Promise<Error | undefined> {
    if (!this.#stopRequested && !this.#exited) {
      this.#stopRequested = true;
      this.#send({ type: "close" });
      const timer = setTimeout(() => {
        this.#forced = true;
        void this.#worker.terminate();
      }, graceMs);
      timer.unref();
      void this.closed.then(() => clearTimeout(timer));
    }
    return this.closed;
  }

  /** Ends a worker that never became a broker (a failed bind): waits for it to exit by itself, briefly. */
  async abandon(graceMs: number): Promise<void> {
    this.#stopRequested = true;
    const timer = setTimeout(() => void this.#worker.terminate(), graceMs);
    await this.closed;
    clearTimeout(timer);
  }

  #send(message: ToWorker): void {
    this.#worker.postMessage(message);
  }

  #onMessage(message: FromWorker): void {
    switch (message.type) {
      case "answer": {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        pending?.resolve(message.value);
        break;
      }
      case "stopped":
        this.#final = message;
        // Queries asked while the worker was shutting down get the final state.
        for (const pending of this.#pending.values()) {
          pending.resolve(pending.query === "subscriptions" ? message.subscriptions : message.topics);
        }
        this.#pending.clear();
        break;
      case "zap-refused":
        this.onRefused({ address: message.address, mechanism: message.mechanism });
        break;
      default:
        break;
    }
  }

  #outcome(code: number): Error | undefined {
    if (this.#error !== undefined) {
      return new ZmqcError("CLOSED", `the managed broker's worker failed: ${this.#error.message}`, {
        cause: this.#error,
      });
    }
    if (this.#forced)
      return new ZmqcError("CLOSED", "the managed broker's worker did not stop in time and was terminated");
    if (!this.#stopRequested)
      return new ZmqcError("CLOSED", `the managed broker's worker exited unexpectedly (code ${code})`);
    if (code !== 0) return new ZmqcError("CLOSED", `the managed broker's worker exited with code ${code}`);
    return undefined;
  }

  #closedError(): ZmqcError {
    return new ZmqcError("CLOSED", "the managed broker is closed");
  }
}
