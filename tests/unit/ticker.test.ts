/** The progress ticker: calls never closer than the interval, even when a timer fires late or early. */
import { startTicker } from '../../src/cli/ticker';

afterEach(() => jest.useRealTimers());

describe('startTicker', () => {
  it('schedules each call a full interval after the previous one, so a late call does not pull the next one closer', () => {
    jest.useFakeTimers();
    // The wall clock the ticker reads; the fake timers stand for the event loop's own.
    let clock = 0;
    const at: number[] = [];
    const stop = startTicker(
      5000,
      () => at.push(clock),
      () => clock,
    );
    clock = 5000;
    jest.advanceTimersByTime(5000);
    expect(at).toEqual([5000]);
    // The second timer fires 250 ms late (a busy loop): with a fixed interval the third call would come 4750 ms after it.
    clock = 10_250;
    jest.advanceTimersByTime(5000);
    expect(at).toEqual([5000, 10_250]);
    clock = 15_000;
    jest.advanceTimersByTime(5000);
    expect(at).toEqual([5000, 10_250]);
    clock = 15_250;
    jest.advanceTimersByTime(250);
    expect(at).toEqual([5000, 10_250, 15_250]);
    stop();
    clock = 100_000;
    jest.advanceTimersByTime(100_000);
    expect(at).toHaveLength(3);
  });

  it('waits out the rest of the interval when the timer fires before the clock says it is due', () => {
    jest.useFakeTimers();
    let clock = 0;
    const at: number[] = [];
    const stop = startTicker(
      5000,
      () => at.push(clock),
      () => clock,
    );
    // The timer fires when the wall clock says 4900 ms have passed: the call waits for the last 100.
    clock = 4900;
    jest.advanceTimersByTime(5000);
    expect(at).toEqual([]);
    clock = 5000;
    jest.advanceTimersByTime(100);
    expect(at).toEqual([5000]);
    stop();
  });
});
