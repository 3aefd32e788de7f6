/** The clock the tool layer uses unless the host passes its own (tests pass a fake one). */
export { systemClock as realClock } from '../voice/clock.ts';
