import { BehaviorSubject, Observable } from 'rxjs';
import { StreamsError } from '../errors/streams-error.ts';

/**
 * The state of a KafkaStreams application, as Kafka Streams' KafkaStreams.State:
 *
 *     CREATED ──start()──▶ REBALANCING ◀──▶ RUNNING
 *        │                     │   │          │  │
 *        │          close() ───┼───┼──────────┘  │ a fatal error
 *        ▼                     ▼   └──────────┐  ▼
 *     PENDING_SHUTDOWN ──▶ NOT_RUNNING        PENDING_ERROR ──▶ ERROR
 *
 * REBALANCING while the group hands out partitions and the assigned tasks restore; RUNNING once every assigned
 * task processes; PENDING_SHUTDOWN while close() commits and closes the tasks; PENDING_ERROR while a fatal error
 * closes them (dirty). NOT_RUNNING and ERROR are final.
 */
export type StreamsState = 'CREATED' | 'REBALANCING' | 'RUNNING' | 'PENDING_SHUTDOWN' | 'NOT_RUNNING' | 'PENDING_ERROR' | 'ERROR';

/** Kafka Streams' valid transitions (KafkaStreams.State's constructor arguments, 4.x). */
const TRANSITIONS: Readonly<Record<StreamsState, readonly StreamsState[]>> = {
  CREATED: ['REBALANCING', 'PENDING_SHUTDOWN'],
  REBALANCING: ['RUNNING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  RUNNING: ['REBALANCING', 'PENDING_SHUTDOWN', 'PENDING_ERROR'],
  PENDING_SHUTDOWN: ['NOT_RUNNING'],
  NOT_RUNNING: [],
  PENDING_ERROR: ['ERROR'],
  ERROR: [],
};

/** True for the states an application does not leave. */
export function isTerminal(state: StreamsState): boolean {
  return state === 'NOT_RUNNING' || state === 'ERROR';
}

/**
 * The application's state and its changes as an observable. `state$` has BehaviorSubject semantics — a subscriber
 * gets the current state at once, then every change — and completes after a final state (NOT_RUNNING, ERROR); one
 * subscribing later gets that final state and the completion, so `lastValueFrom(state$)` is how the application
 * ended.
 */
export class StreamsStateMachine {
  private readonly subject = new BehaviorSubject<StreamsState>('CREATED');

  readonly state$: Observable<StreamsState> = new Observable<StreamsState>((subscriber) => {
    // A completed BehaviorSubject gives a new subscriber only the completion: give it the final state first.
    if (this.subject.isStopped) {
      subscriber.next(this.subject.getValue());
      subscriber.complete();
      return undefined;
    }
    return this.subject.subscribe(subscriber);
  });

  get state(): StreamsState {
    return this.subject.getValue();
  }

  /**
   * Moves to `next` and emits it. Returns false, changing nothing, when the move is one Kafka Streams ignores: to
   * the current state, or anything but the next step out of a shutdown (PENDING_SHUTDOWN, PENDING_ERROR) or a final
   * state — an error racing a close, a rebalance racing a shutdown. Any other move its table does not have is a
   * bug of the runtime: a StreamsError naming both states.
   */
  transitionTo(next: StreamsState): boolean {
    const current = this.state;
    if (next === current) return false;
    if (!TRANSITIONS[current].includes(next)) {
      if (current === 'PENDING_SHUTDOWN' || current === 'PENDING_ERROR' || isTerminal(current)) return false;
      throw new StreamsError(
        `The application cannot go from ${current} to ${next}: from ${current} it can only go to ${TRANSITIONS[current].join(' or ')}.`,
      );
    }
    this.subject.next(next);
    if (isTerminal(next)) this.subject.complete();
    return true;
  }
}
