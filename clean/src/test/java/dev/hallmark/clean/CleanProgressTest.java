package dev.hallmark.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The estimate of the time left, as a function of a snapshot (no clock involved). */
class CleanProgressTest {
  static final long TEN_SECONDS = 10_000_000_000L;

  @Test
  void etaFollowsTheShareOfInputReadInThisRun() {
    // A quarter of the input in 10 s: three quarters to go take 30 s.
    assertEquals(30.0, new CleanProgress(100, 100, 25, 100, 0, 0, TEN_SECONDS, false).etaSeconds(), 1e-9);
  }

  /**
   * On --resume, the shards an interrupted run had done are read past in a moment: counted as work
   * done in this run's time, half the input "done" plus a quarter cleaned in 10 s gave an ETA of
   * 3.3 s for the last quarter, which takes as long as the quarter cleaned: 10 s.
   */
  @Test
  void etaOnResumeCountsOnlyTheInputCleanedInThisRun() {
    CleanProgress p = new CleanProgress(100, 100, 75, 100, 4, 50, TEN_SECONDS, false);
    assertEquals(10.0, p.etaSeconds(), 1e-9);
  }

  @Test
  void etaIsUnknownUntilThisRunHasCleanedSomething() {
    assertEquals(-1, new CleanProgress(0, 0, 50, 100, 4, 50, TEN_SECONDS, false).etaSeconds());
    assertEquals(-1, new CleanProgress(0, 0, 0, -1, 0, 0, TEN_SECONDS, false).etaSeconds());
    assertEquals(0, new CleanProgress(10, 10, 100, 100, 4, 50, TEN_SECONDS, false).etaSeconds());
  }
}
