package io.github.zonecut.dsync;

import io.github.zonecut.keystate.Delayer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Bulk scanning for a registry: checks N children (an {@link Iterator} or a file of names, one per
 * line) with bounded concurrency, a deadline per child and retries of transient outcomes, streaming
 * each child's {@link Result} to a sink and {@link Progress} to a listener. Memory does not grow
 * with N: at most {@link Builder#window(int) window} children past the oldest unfinished one are
 * in progress or remembered.
 *
 * <p><b>Checkpoint.</b> With {@link Builder#checkpoint(Path)}, every result is appended to the
 * checkpoint file (and flushed) <em>before</em> the sink sees it, together with a watermark below
 * which every input position is done. A run started on an existing checkpoint resumes: it skips
 * the input up to the watermark, skips the positions recorded above it (checking the names still
 * match) and scans the rest. So after a crash no child is skipped and no recorded child is scanned
 * again: a child has exactly one result in the checkpoint, which is the durable result log (the
 * sink may have missed the results recorded just before the crash). The input must be the same,
 * in the same order. A torn last line is dropped.
 *
 * <p>Per-nameserver rate limits belong to the transport the observer uses: see {@link
 * PacedTransport}. Sharding across machines: give each machine the children whose name hash falls
 * in its shard, with its own checkpoint.
 */
public final class Scanner {
  private static final Logger LOG = LoggerFactory.getLogger(Scanner.class);
  private static final String HEADER = "# zonecut scan checkpoint v1";

  /** The check of one child: typically {@code child -> scanService.scan(child, Type.CDS)}. */
  @FunctionalInterface
  public interface ChildScan {
    /** Checks {@code child}; the stage completes with the check's final event. */
    CompletionStage<ScanEvent> scan(Name child);
  }

  /**
   * The result of one child.
   *
   * @param index the child's position in the input (from 0)
   * @param child the child, as given
   * @param outcome a short stable word: {@code Applied}, {@code NoChange}, {@code Pending:<reason>},
   *     {@code Refused:<reason>}, {@code Failed:<kind>} (kinds include {@code timeout} and {@code
   *     invalid-name})
   * @param detail a human-readable detail
   * @param attempts how many times the child was checked in this run
   * @param event the final event, when the child was checked in this run
   */
  public record Result(long index, String child, String outcome, String detail, int attempts,
      Optional<ScanEvent> event) {
    /** Checks the fields. */
    public Result {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(event, "event");
    }

    /** Whether this outcome counts as an error in {@link Progress#errorsByKind()}. */
    public boolean isError() {
      return !outcome.equals("Applied") && !outcome.equals("NoChange");
    }
  }

  /**
   * How far a run is.
   *
   * @param done children with a result, including those recorded by an earlier run
   * @param total the number of children, or -1 when unknown
   * @param resumed how many of {@code done} came from the checkpoint
   * @param perSecond children checked per second in this run
   * @param errorsByKind error outcomes counted by their word
   * @param retries retries made in this run
   */
  public record Progress(long done, long total, long resumed, double perSecond,
      Map<String, Long> errorsByKind, long retries) {
    /** Copies the map. */
    public Progress {
      errorsByKind = Map.copyOf(errorsByKind);
    }
  }

  private final ChildScan task;
  private final int concurrency;
  private final int window;
  private final Duration timeout;
  private final int retries;
  private final Duration backoff;
  private final Predicate<ScanEvent> retryable;
  private final Delayer delayer;
  private final Clock clock;
  private final @Nullable Path checkpoint;
  private final Consumer<Progress> listener;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile boolean aborted;

  private Scanner(Builder b) {
    this.task = b.task;
    this.concurrency = b.concurrency;
    this.window = Math.max(b.window, b.concurrency + 1);
    this.timeout = b.timeout;
    this.retries = b.retries;
    this.backoff = b.backoff;
    this.retryable = b.retryable;
    this.delayer = b.delayer;
    this.clock = b.clock;
    this.checkpoint = b.checkpoint;
    this.listener = b.listener;
  }

  /** A builder over the check of one child. */
  public static Builder builder(ChildScan task) {
    return new Builder(task);
  }

  /**
   * Stops the run at once, as a crash would: no child is started, and results arriving from now
   * on are neither recorded nor delivered. {@link #run} returns; a new scanner on the same
   * checkpoint resumes (this one stays stopped).
   */
  public void abort() {
    lock.lock();
    try {
      aborted = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Scans the names of {@code file} (one per line; blank lines and lines starting with {@code #}
   * are skipped and take no position).
   */
  public Progress run(Path file, Consumer<Result> sink) throws IOException, InterruptedException {
    long total;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      total = r.lines().filter(Scanner::isName).count();
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Iterator<String> lines = r.lines().filter(Scanner::isName).map(String::strip).iterator();
      return runItems(lines, total, sink);
    }
  }

  /** Scans the children of {@code input} ({@code total} of them, or -1 when unknown). */
  public Progress run(Iterator<Name> input, long total, Consumer<Result> sink)
      throws IOException, InterruptedException {
    Iterator<String> names = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public String next() {
        return input.next().toString();
      }
    };
    return runItems(names, total, sink);
  }

  private static boolean isName(String line) {
    String s = line.strip();
    return !s.isEmpty() && !s.startsWith("#");
  }

  /** The mutable state of one run, guarded by {@link #lock}. */
  private final class Run {
    final long total;
    final Consumer<Result> sink;
    final Instant started = clock.instant();
    final TreeMap<Long, String> recorded; // positions done above the watermark (name)
    final TreeSet<Long> doneAbove = new TreeSet<>();
    final Map<String, Long> errors = new TreeMap<>();
    @Nullable Writer out;
    long low;
    long done;
    long resumed;
    long checkedThisRun;
    long retriesMade;
    int inFlight;
    @Nullable IOException failure;

    Run(long total, Consumer<Result> sink, Resume resume) {
      this.total = total;
      this.sink = sink;
      this.low = resume.low;
      this.recorded = new TreeMap<>(resume.above);
      this.done = resume.low + resume.above.size();
      this.resumed = done;
    }

    Progress progress() {
      double seconds = Math.max(1e-3,
          Duration.between(started, clock.instant()).toNanos() / 1e9);
      return new Progress(done, total, resumed, checkedThisRun / seconds, errors, retriesMade);
    }
  }

  private Progress runItems(Iterator<String> input, long total, Consumer<Result> sink)
      throws IOException, InterruptedException {
    Objects.requireNonNull(sink, "sink");
    Resume resume = checkpoint == null ? new Resume(0, new TreeMap<>()) : readCheckpoint(checkpoint);
    Run run = new Run(total, sink, resume);
    if (checkpoint != null) {
      run.out = Files.newBufferedWriter(checkpoint, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      if (resume.fresh) {
        run.out.write(HEADER + "\n");
        run.out.flush();
      }
    }
    try {
      long index = 0;
      while (input.hasNext() && !aborted) {
        String text = input.next();
        long i = index++;
        if (i < resume.low) {
          if (i == resume.low - 1 && resume.lowName != null
              && !sameName(resume.lowName, escape(text))) {
            throw new IOException("input changed since the checkpoint: position " + i + " was "
                + resume.lowName + ", now " + text);
          }
          continue;
        }
        String seen = resume.above.get(i);
        if (seen != null) {
          if (!sameName(seen, escape(text))) {
            throw new IOException("input changed since the checkpoint: position " + i + " was "
                + seen + ", now " + text);
          }
          continue;
        }
        lock.lock();
        try {
          while (!aborted && run.failure == null
              && (run.inFlight >= concurrency || i >= run.low + window)) {
            changed.await();
          }
          if (aborted || run.failure != null) {
            break;
          }
          run.inFlight++;
        } finally {
          lock.unlock();
        }
        start(run, i, text);
      }
      lock.lock();
      try {
        while (!aborted && run.failure == null && run.inFlight > 0) {
          changed.await();
        }
        if (run.failure != null) {
          throw run.failure;
        }
        return run.progress();
      } finally {
        lock.unlock();
      }
    } finally {
      lock.lock();
      try {
        Writer w = run.out;
        run.out = null; // late results of an aborted run are not recorded
        if (w != null) {
          w.close();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private static boolean sameName(String a, String b) {
    try {
      return Name.fromString(a).equals(Name.fromString(b));
    } catch (TextParseException e) {
      return a.equals(b);
    }
  }

  private void start(Run run, long index, String text) {
    Name child;
    try {
      child = Name.fromString(text);
      if (!child.isAbsolute()) {
        child = Name.concatenate(child, Name.root);
      }
    } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
      finish(run, new Result(index, text, "Failed:invalid-name", String.valueOf(e.getMessage()),
          0, Optional.empty()));
      return;
    }
    attempt(run, index, text, child, 1);
  }

  private void attempt(Run run, long index, String text, Name child, int attempt) {
    CompletableFuture<ScanEvent> f;
    try {
      f = task.scan(child).toCompletableFuture().copy();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((event, failure) -> {
      ScanEvent last = event;
      if (failure != null) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException
            && failure.getCause() != null ? failure.getCause() : failure;
        String kind = cause instanceof TimeoutException ? "timeout" : "exception";
        last = new ScanEvent.Failed(child, org.xbill.DNS.Type.CDS, clock.instant(), kind,
            String.valueOf(cause));
      }
      if (attempt <= retries && retryable.test(last) && !aborted) {
        lock.lock();
        try {
          run.retriesMade++;
        } finally {
          lock.unlock();
        }
        Duration wait = backoff.multipliedBy(1L << Math.min(attempt - 1, 16));
        delayer.delay(wait).whenComplete((v, e) -> attempt(run, index, text, child, attempt + 1));
        return;
      }
      finish(run, new Result(index, text, outcome(last), detail(last), attempt,
          Optional.of(last)));
    });
  }

  private void finish(Run run, Result result) {
    lock.lock();
    try {
      Writer out = run.out;
      if (aborted || run.failure != null) {
        return;
      }
      if (out != null) {
        try {
          out.write("D\t" + result.index() + "\t" + escape(result.child()) + "\t"
              + result.outcome()
              + "\t" + escape(result.detail()) + "\n");
          long before = run.low;
          run.doneAbove.add(result.index());
          while (run.doneAbove.remove(run.low) || run.recorded.remove(run.low) != null) {
            run.low++;
          }
          if (run.low != before) {
            out.write("W\t" + run.low + "\n");
          }
          out.flush();
        } catch (IOException e) {
          run.failure = e;
          return;
        }
      } else {
        run.doneAbove.add(result.index());
        while (run.doneAbove.remove(run.low) || run.recorded.remove(run.low) != null) {
          run.low++;
        }
      }
      run.done++;
      run.checkedThisRun++;
      if (result.isError()) {
        run.errors.merge(result.outcome(), 1L, Long::sum);
      }
      try {
        run.sink.accept(result);
      } catch (RuntimeException e) {
        LOG.warn("scan sink failed for {}; the result is in the checkpoint", result.child(), e);
      }
      try {
        listener.accept(run.progress());
      } catch (RuntimeException e) {
        LOG.warn("scan progress listener failed", e);
      }
    } finally {
      run.inFlight--;
      changed.signalAll();
      lock.unlock();
    }
  }

  private static String outcome(ScanEvent e) {
    if (e instanceof ScanEvent.Pending) {
      return "Pending:" + ((ScanEvent.Pending) e).reason();
    }
    if (e instanceof ScanEvent.Refused) {
      return "Refused:" + ((ScanEvent.Refused) e).reason();
    }
    if (e instanceof ScanEvent.Failed) {
      return "Failed:" + ((ScanEvent.Failed) e).kind();
    }
    return e.getClass().getSimpleName();
  }

  private static String detail(ScanEvent e) {
    if (e instanceof ScanEvent.Pending) {
      return ((ScanEvent.Pending) e).detail();
    }
    if (e instanceof ScanEvent.Refused) {
      return ((ScanEvent.Refused) e).detail();
    }
    if (e instanceof ScanEvent.Failed) {
      return ((ScanEvent.Failed) e).detail();
    }
    if (e instanceof ScanEvent.NoChange) {
      return ((ScanEvent.NoChange) e).detail();
    }
    if (e instanceof ScanEvent.Applied) {
      return ((ScanEvent.Applied) e).change().id();
    }
    return "";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  /** What a checkpoint says: every position below {@code low} is done, and those {@code above}. */
  private static final class Resume {
    final long low;
    final TreeMap<Long, String> above;
    final @Nullable String lowName;
    final boolean fresh;

    Resume(long low, TreeMap<Long, String> above) {
      this(low, above, null, true);
    }

    Resume(long low, TreeMap<Long, String> above, @Nullable String lowName, boolean fresh) {
      this.low = low;
      this.above = above;
      this.lowName = lowName;
      this.fresh = fresh;
    }
  }

  /** Reads a checkpoint (dropping a torn last line); memory bounded by the window. */
  private static Resume readCheckpoint(Path file) throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return new Resume(0, new TreeMap<>());
    }
    dropTornTail(file);
    long low = 0;
    TreeMap<Long, String> above = new TreeMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = r.readLine()) != null) {
        number++;
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        try {
          if (f[0].equals("W") && f.length == 2) {
            low = Math.max(low, Long.parseLong(f[1]));
            above.headMap(low - 1).clear(); // keeps the name at low - 1 to check the input
          } else if (f[0].equals("D") && f.length == 5) {
            long i = Long.parseLong(f[1]);
            if (i >= low) {
              above.put(i, f[2]);
            }
          } else {
            throw new IOException("checkpoint " + file + " line " + number + " is not a record");
          }
        } catch (NumberFormatException e) {
          throw new IOException("checkpoint " + file + " line " + number + ": " + e.getMessage(),
              e);
        }
      }
    }
    String lowName = above.get(low - 1);
    String name;
    while ((name = above.remove(low)) != null) {
      lowName = name;
      low++;
    }
    above.headMap(low).clear();
    return new Resume(low, above, lowName, false);
  }

  /** A crash may leave a partial last line: cut the file after its last newline. */
  private static void dropTornTail(Path file) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long size = ch.size();
      long pos = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (pos > 0) {
        ch.position(pos - 1);
        one.clear();
        ch.read(one);
        if (one.get(0) == '\n') {
          break;
        }
        pos--;
      }
      if (pos != size) {
        LOG.warn("checkpoint {}: dropping a torn last line ({} octets)", file, size - pos);
        ch.truncate(pos);
        if (ch instanceof FileChannel) {
          ((FileChannel) ch).force(true);
        }
      }
    }
  }

  /** Settings of a {@link Scanner}. */
  public static final class Builder {
    private final ChildScan task;
    private int concurrency = 16;
    private int window = 1024;
    private Duration timeout = Duration.ofSeconds(60);
    private int retries = 2;
    private Duration backoff = Duration.ofSeconds(30);
    private Predicate<ScanEvent> retryable = Builder::transientFailure;
    private Delayer delayer = Delayer.using(ForkJoinPool.commonPool());
    private Clock clock = Clock.systemUTC();
    private @Nullable Path checkpoint;
    private Consumer<Progress> listener = p -> { };

    private Builder(ChildScan task) {
      this.task = Objects.requireNonNull(task, "task");
    }

    /** Failed checks and unreachable servers or resolvers are retried; waits are not. */
    static boolean transientFailure(ScanEvent e) {
      if (e instanceof ScanEvent.Failed) {
        return true;
      }
      if (e instanceof ScanEvent.Pending) {
        Reason r = ((ScanEvent.Pending) e).reason();
        return r == Reason.SERVER_UNREACHABLE || r == Reason.VALIDATION_UNAVAILABLE
            || r == Reason.SOA_MOVED;
      }
      return false;
    }

    /** How many children are checked at once (default 16). */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    /**
     * How far past the oldest unfinished child new ones may start (default 1024): bounds memory
     * and the checkpoint's resume state.
     */
    public Builder window(int window) {
      if (window < 1) {
        throw new IllegalArgumentException("window must be at least 1: " + window);
      }
      this.window = window;
      return this;
    }

    /** The deadline of one check of one child (default 60 s); past it: {@code Failed:timeout}. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Retries of a transient outcome (default 2, after 30 s then doubling); {@code retryable}
     * says which final events are transient (default: failures, unreachable servers).
     */
    public Builder retries(int retries, Duration backoff, Predicate<ScanEvent> retryable) {
      if (retries < 0 || backoff.isNegative()) {
        throw new IllegalArgumentException("negative retries or backoff");
      }
      this.retries = retries;
      this.backoff = backoff;
      this.retryable = Objects.requireNonNull(retryable, "retryable");
      return this;
    }

    /** {@link #retries(int, Duration, Predicate)} with the default predicate. */
    public Builder retries(int retries, Duration backoff) {
      return retries(retries, backoff, Builder::transientFailure);
    }

    /** Waits between retries (tests inject a virtual one). */
    public Builder delayer(Delayer delayer) {
      this.delayer = Objects.requireNonNull(delayer, "delayer");
      return this;
    }

    /** The clock of the progress rate. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Records results in {@code file} and resumes from it (see {@link Scanner}). */
    public Builder checkpoint(Path file) {
      this.checkpoint = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Hears the progress after every result (called under the scanner's lock: be quick). */
    public Builder listener(Consumer<Progress> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The scanner (one run at a time). */
    public Scanner build() {
      return new Scanner(this);
    }
  }
}
