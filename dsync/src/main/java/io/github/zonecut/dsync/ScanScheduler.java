package io.github.zonecut.dsync;

/**
 * The port through which the {@link NotifyReceiver} asks the host for an immediate check (RFC
 * 9859 §4.3 option 1: "schedule an immediate check"). It must not block: the receiver calls it on
 * the server's I/O thread. {@link ScanQueue} is a bounded, coalescing implementation.
 */
@FunctionalInterface
public interface ScanScheduler {

  /** What became of a request. */
  enum Scheduling {
    /** A new check is pending. */
    SCHEDULED,
    /** A check of the same child and type was already pending: this request joined it. */
    COALESCED,
    /** Nothing is scheduled (the queue is full): the sender's signal is dropped. */
    REJECTED
  }

  /** Schedules a check of {@code request} and says whether it was new. */
  Scheduling schedule(ScanRequest request);
}
