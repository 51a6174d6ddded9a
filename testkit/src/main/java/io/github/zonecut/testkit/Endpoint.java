package io.github.zonecut.testkit;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.internal.server.DnsServer;
import io.github.zonecut.testkit.internal.Responder;
import io.github.zonecut.testkit.internal.SignedZone;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * One server of a running {@link TestHierarchy}, listening on 127.0.0.1 and an ephemeral port
 * over both UDP and TCP: either a nameserver, authoritative for the zones that list it in their
 * apex NS, or the hierarchy's recursive-style endpoint, which answers for every zone (what a stub
 * validator such as dnsjava's {@code ValidatingResolver} needs upstream).
 *
 * <p>Faults are set at run time and apply to the queries received from then on; all methods are
 * thread-safe.
 */
public final class Endpoint {
  private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);
  /** How many queries {@link #recentQueries()} keeps. */
  public static final int RECENT_QUERIES = 256;

  private final @Nullable Name nameserver;
  private final Set<Name> zones;
  private final TestHierarchy hierarchy;
  private final DnsServer server;
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong tcpQueries = new AtomicLong();
  private final ArrayDeque<Message> recent = new ArrayDeque<>();
  private volatile @Nullable Fault fault;
  private volatile @Nullable Service service;
  private volatile @Nullable List<SignedZone> frozen;
  private final AtomicReference<@Nullable Trigger> trigger = new AtomicReference<>();
  private @Nullable InetSocketAddress address;

  Endpoint(@Nullable Name nameserver, Set<Name> zones, TestHierarchy hierarchy, DnsServer server) {
    this.nameserver = nameserver;
    this.zones = Set.copyOf(zones);
    this.hierarchy = hierarchy;
    this.server = server;
  }

  void listen() throws IOException {
    address = server.listen(this::handle);
  }

  /** The nameserver's name, or empty for the recursive endpoint. */
  public Optional<Name> nameserver() {
    return Optional.ofNullable(nameserver);
  }

  /** Whether this is the hierarchy's recursive-style endpoint. */
  public boolean isRecursive() {
    return nameserver == null;
  }

  /** The origins of the zones this endpoint answers for (every zone for the recursive one). */
  public Set<Name> zones() {
    return zones;
  }

  /** The UDP and TCP address (127.0.0.1 and the same ephemeral port for both). */
  public InetSocketAddress address() {
    InetSocketAddress a = address;
    if (a == null) {
      throw new IllegalStateException("endpoint not started");
    }
    return a;
  }

  /** This endpoint as a zonecut {@link DnsEndpoint}, for a {@link io.github.zonecut.core.DnsTransport}. */
  public DnsEndpoint dnsEndpoint() {
    return DnsEndpoint.of(address());
  }

  /** A new dnsjava resolver aimed at this endpoint (default timeout; set your own as needed). */
  public SimpleResolver resolver() {
    return new SimpleResolver(address());
  }

  /** How many queries this endpoint has received (including ones a fault dropped). */
  public long queryCount() {
    return queries.get();
  }

  /** How many of {@link #queryCount()} came over TCP. */
  public long tcpQueryCount() {
    return tcpQueries.get();
  }

  /**
   * The last {@value #RECENT_QUERIES} queries this endpoint parsed, oldest first (copies): for
   * tests that check what a client asked, and in which order.
   */
  public List<Message> recentQueries() {
    synchronized (recent) {
      List<Message> out = new ArrayList<>(recent.size());
      recent.forEach(m -> out.add(m.clone()));
      return out;
    }
  }

  /** Forgets the {@link #recentQueries() recent queries}. */
  public void clearRecentQueries() {
    synchronized (recent) {
      recent.clear();
    }
  }

  /**
   * Installs {@code service} (a receiver, a responder) beside the zone data, replacing any
   * previous one: it answers the queries it accepts, the zones answer the rest. Faults compose
   * with it (see {@link Service}); {@link #clearFault()} leaves it installed.
   */
  public void install(Service service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  /** Removes the installed {@link Service}, if any. */
  public void uninstall() {
    this.service = null;
  }

  /** The installed service, if any. */
  public Optional<Service> service() {
    return Optional.ofNullable(service);
  }

  /**
   * Adopts {@code fault} for every query from now on, replacing any previous fault (an
   * {@link #install installed service} stays installed underneath).
   */
  public void setFault(Fault fault) {
    this.fault = Objects.requireNonNull(fault, "fault");
  }

  /** Returns to normal answers: the installed service's and the zones'. */
  public void clearFault() {
    this.fault = null;
  }

  /** The fault currently set, if any. */
  public Optional<Fault> fault() {
    return Optional.ofNullable(fault);
  }

  /**
   * Pins the data this endpoint serves to the zones' current snapshots: later edits reach the
   * other endpoints but not this one, which then serves stale or divergent data (a secondary
   * that missed a NOTIFY, RFC 1996). {@link #thaw()} ends it.
   *
   * <p>To give one nameserver a zone-level fault alone, set the fault, freeze that nameserver and
   * clear the fault: e.g. {@code child.setParentDs(ParentDs.WRONG); ns2.freeze();
   * child.setParentDs(ParentDs.CORRECT);} leaves only {@code ns2} publishing the wrong DS.
   */
  public void freeze() {
    frozen = List.copyOf(hierarchy.snapshots(zones));
  }

  /** Serves the zones' live data again. */
  public void thaw() {
    frozen = null;
  }

  /** Whether {@link #freeze()} is in effect. */
  public boolean isFrozen() {
    return frozen != null;
  }

  /**
   * Runs {@code action} once, when this endpoint answers the {@code nth} query from now on that
   * {@code matches}: after that answer was computed and before it is sent. Whatever the action
   * changes is therefore seen by every query the client sends after reading that answer, and not
   * by that answer itself, which makes a race between a client's reads and a zone change
   * deterministic. The case it is made for is a zone that moves between two reads of one client,
   * e.g. a parental agent's SOA-before and SOA-after reads around its CSYNC processing (RFC 7477
   * §3.1):
   *
   * <pre>{@code
   * ns1.onceAfterAnswering(1, q -> q.message().getQuestion().getType() == Type.CSYNC,
   *     () -> child.add("moved TXT \"the zone changed mid-scan\""));
   * }</pre>
   *
   * <p>Every answer counts: from the zones, from an {@link #install installed service} or from a
   * {@link Fault#script scripted} peer; a query dropped by a fault or a script does not. One
   * trigger is pending at a time: a new call replaces the pending one. The action runs on the
   * hierarchy's server thread (for a {@link Fault#delay delayed} answer, on its delay thread), so
   * it must be short and must not wait for an answer of this hierarchy; a zone edit is fine. An
   * exception it throws is logged and the answer is still sent.
   *
   * @param nth which matching answer fires the action, 1 for the first
   * @param matches which queries count
   * @param action what to run, once
   */
  public void onceAfterAnswering(int nth, Predicate<ReceivedQuery> matches, Runnable action) {
    if (nth < 1) {
      throw new IllegalArgumentException("nth must be at least 1: " + nth);
    }
    trigger.set(new Trigger(nth, Objects.requireNonNull(matches, "matches"),
        Objects.requireNonNull(action, "action")));
  }

  /** Whether an {@link #onceAfterAnswering} action is still waiting for its answer. */
  public boolean hasPendingTrigger() {
    return trigger.get() != null;
  }

  /** Drops the pending {@link #onceAfterAnswering} action, if any, without running it. */
  public void clearTrigger() {
    trigger.set(null);
  }

  /** An {@link #onceAfterAnswering} action and how many matching answers it still waits for. */
  private static final class Trigger {
    private final AtomicInteger remaining;
    private final Predicate<ReceivedQuery> matches;
    private final Runnable action;

    Trigger(int nth, Predicate<ReceivedQuery> matches, Runnable action) {
      this.remaining = new AtomicInteger(nth);
      this.matches = matches;
      this.action = action;
    }
  }

  /** {@code reply}, preceded by the pending trigger's action when this answer fires it. */
  private Consumer<byte[]> withTrigger(byte[] wire, Message query, boolean tcp,
      Consumer<byte[]> reply) {
    Trigger t = trigger.get();
    if (t == null) {
      return reply;
    }
    boolean matched;
    try {
      matched = t.matches.test(new ReceivedQuery(wire, query, tcp, () -> standardAnswer(query)));
    } catch (RuntimeException e) {
      LOG.warn("trigger predicate failed; the query does not count", e);
      matched = false;
    }
    if (!matched) {
      return reply;
    }
    return bytes -> {
      if (t.remaining.decrementAndGet() == 0 && trigger.compareAndSet(t, null)) {
        try {
          t.action.run();
        } catch (RuntimeException e) {
          LOG.warn("trigger action failed; answering anyway", e);
        }
      }
      reply.accept(bytes);
    };
  }

  /**
   * The zones that could answer {@code query}: those of this endpoint at or above its name
   * (found by walking up the name, so an endpoint serving thousands of zones does not copy them
   * all per query), or the frozen copies.
   */
  private Collection<SignedZone> data(Message query) {
    List<SignedZone> pinned = frozen;
    if (pinned != null) {
      return pinned;
    }
    org.xbill.DNS.Record q = query.getQuestion();
    if (q == null) {
      return List.of();
    }
    Name qname = q.getName();
    java.util.Set<Name> candidates = new java.util.LinkedHashSet<>();
    for (int drop = 0; drop < qname.labels(); drop++) {
      Name ancestor = new Name(qname, drop);
      if (zones.contains(ancestor)) {
        candidates.add(ancestor);
      }
    }
    return hierarchy.snapshots(candidates);
  }

  private Message standardAnswer(Message query) {
    return Responder.answer(query, data(query), isRecursive());
  }

  private void handle(byte[] wire, java.net.InetSocketAddress source, boolean tcp,
      Consumer<byte[]> reply) {
    queries.incrementAndGet();
    if (tcp) {
      tcpQueries.incrementAndGet();
    }
    Fault f = fault;
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException e) {
      formErr(wire).ifPresent(reply);
      return;
    }
    synchronized (recent) {
      if (recent.size() == RECENT_QUERIES) {
        recent.removeFirst();
      }
      recent.addLast(query.clone());
    }
    if (f instanceof Fault.Silence || query.getHeader().getFlag(org.xbill.DNS.Flags.QR)) {
      return; // a response is never answered: no reflection loops
    }
    respond(wire, query, tcp, f, withTrigger(wire, query, tcp, reply));
  }

  private void respond(byte[] wire, Message query, boolean tcp, @Nullable Fault f,
      Consumer<byte[]> reply) {
    if (f instanceof Fault.Scripted) {
      ReceivedQuery received = new ReceivedQuery(wire, query, tcp, () -> standardAnswer(query));
      Optional<byte[]> answer;
      try {
        answer = ((Fault.Scripted) f).peer().respond(received);
      } catch (RuntimeException e) {
        LOG.warn("hostile peer script failed; staying silent", e);
        return;
      }
      answer.ifPresent(reply);
      return;
    }
    if (f instanceof Fault.Rcode) {
      Message error = Responder.skeleton(query);
      error.getHeader().setRcode(((Fault.Rcode) f).rcode());
      reply.accept(error.toWire());
      return;
    }
    Service s = service;
    if (s != null) {
      ReceivedQuery received = new ReceivedQuery(wire, query, tcp, () -> standardAnswer(query));
      Optional<byte[]> answer = Optional.empty();
      boolean accepted;
      try {
        accepted = s.accepts(received);
        if (accepted) {
          answer = s.handle(received);
        }
      } catch (RuntimeException e) {
        LOG.warn("installed service failed; staying silent", e);
        return;
      }
      if (accepted) {
        answer.ifPresent(bytes -> serviceReply(bytes, f, tcp, reply));
        return;
      }
    }
    Message response = Responder.answer(query, data(query), isRecursive());
    if (f instanceof Fault.Truncate && !tcp) {
      reply.accept(Responder.truncated(response).toWire());
      return;
    }
    if (f instanceof Fault.BogusSignatures) {
      response = withCorruptSignatures(response);
    }
    byte[] bytes = Responder.render(response, query, tcp);
    if (f instanceof Fault.Delay) {
      server.schedule(((Fault.Delay) f).delay(), () -> reply.accept(bytes));
    } else {
      reply.accept(bytes);
    }
  }

  /** Sends a service's answer through the faults that apply to it (truncation, delay). */
  private void serviceReply(byte[] bytes, @Nullable Fault f, boolean tcp, Consumer<byte[]> reply) {
    byte[] out = bytes;
    if (f instanceof Fault.Truncate && !tcp) {
      try {
        out = Responder.truncated(new Message(bytes)).toWire();
      } catch (IOException e) {
        out = bytes; // not a DNS message: nothing to truncate
      }
    }
    byte[] send = out;
    if (f instanceof Fault.Delay) {
      server.schedule(((Fault.Delay) f).delay(), () -> reply.accept(send));
    } else {
      reply.accept(send);
    }
  }

  /** A FORMERR (RFC 1035 §4.1.1) carrying the ID of an unparseable query, if it has one. */
  private static Optional<byte[]> formErr(byte[] wire) {
    if (wire.length < Header.LENGTH) {
      return Optional.empty();
    }
    if ((wire[2] & 0x80) != 0) {
      return Optional.empty(); // never answer a response: no reflection loops
    }
    Message error = new Message(((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF));
    error.getHeader().setFlag(org.xbill.DNS.Flags.QR);
    error.getHeader().setRcode(Rcode.FORMERR);
    return Optional.of(error.toWire());
  }

  private static Message withCorruptSignatures(Message response) {
    Message out = response.clone();
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      List<Record> records = new ArrayList<>(out.getSection(section));
      out.removeAllRecords(section);
      for (Record r : records) {
        out.addRecord(r instanceof RRSIGRecord ? SignedZone.corrupt((RRSIGRecord) r) : r, section);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Endpoint[" + (nameserver == null ? "recursive" : nameserver.toString()) + " " + address + "]";
  }

}
