package io.github.zonecut.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/**
 * The head resolver of a one-lookup dnsjava {@code ValidatingResolver}: one question (name, type,
 * IN) is answered with a message received before, every other query goes to the shared head.
 *
 * <p>It lets a validator judge an apex DNSKEY RRset it was handed against the zone's DS RRset
 * (RFC 4035 §5.2): the validator's own DNSKEY query for the zone meets the very RRset being
 * judged, not whatever the recursive resolver serves a moment later (under RFC 8901 model 2 the
 * signers' DNSKEY RRsets differ in their KSKs, so the two can legitimately differ).
 *
 * <p>Settings calls (EDNS, TCP, port, timeout) are ignored: the shared head keeps those its own
 * validator gave it.
 */
public final class PinnedAnswerResolver implements Resolver {
  private final Resolver head;
  private final Name name;
  private final int type;
  private final Message answer;
  private final Executor executor;

  /**
   * @param head the resolver every other query goes to
   * @param name the pinned question's name
   * @param type the pinned question's type
   * @param answer the answer to give to that question (copied for each query)
   * @param executor where the one-argument {@link #sendAsync(Message)} completes
   */
  public PinnedAnswerResolver(Resolver head, Name name, int type, Message answer, Executor executor) {
    this.head = Objects.requireNonNull(head, "head");
    this.name = Objects.requireNonNull(name, "name");
    this.type = type;
    this.answer = answer.clone();
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public void setPort(int port) {
    // the shared head's settings stay
  }

  @Override
  public void setTCP(boolean flag) {
    // the shared head's settings stay
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    // the shared head's settings stay
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    // the shared head's settings stay (its own validator set DO)
  }

  @Override
  public void setTSIGKey(TSIG key) {
    throw new UnsupportedOperationException("TSIG is not supported by this resolver");
  }

  @Override
  public void setTimeout(Duration duration) {
    // the shared head's settings stay
  }

  @Override
  public Duration getTimeout() {
    return head.getTimeout();
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, executor);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor callbackExecutor) {
    Record q = query.getQuestion();
    if (q != null && q.getType() == type && q.getDClass() == DClass.IN && q.getName().equals(name)) {
      Message copy = answer.clone();
      copy.getHeader().setID(query.getHeader().getID());
      return CompletableFuture.supplyAsync(() -> copy, callbackExecutor);
    }
    return head.sendAsync(query, callbackExecutor);
  }

  @Override
  public String toString() {
    return "PinnedAnswerResolver[" + name + "/" + type + " over " + head + "]";
  }
}
