package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.MalformedDataException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.SVCBRecord;

/**
 * The SVCB {@code bootstrap} SvcParam a parent publishes at its DSYNC UPDATE target to announce
 * the SIG(0) key bootstrap methods it supports (draft-ietf-dnsop-delegation-mgmt-via-ddns §9.5).
 *
 * <p>Value: tokens separated by {@code ,}. The wire form is the raw ASCII of that string, as the
 * reference implementation writes it (the draft does not fix it). A {@code >} (seen once as a
 * preference separator) is read like {@code ,}; either way the order is kept as the parent's
 * preference. Tokens not known here are kept in {@link #tokens()} and skipped by {@link
 * #methods()}, so a future method does not make the record unreadable.
 *
 * <p>The parameter counts only on an SVCB in ServiceMode (SvcPriority ≥ 1): RFC 9460 §2.4.2
 * says SvcParams in AliasMode are ignored, so {@link #from(SVCBRecord, Codepoints)} ignores them
 * and {@link #toSvcb} refuses priority 0 (the reference implementation publishes AliasMode).
 *
 * @param tokens the tokens in the announced order, no duplicates
 */
public record BootstrapParameter(List<String> tokens) {

  /** Validates the tokens: at least one, each non-empty visible ASCII without , or >. */
  public BootstrapParameter {
    tokens = List.copyOf(new LinkedHashSet<>(tokens));
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("bootstrap parameter needs at least one token");
    }
    for (String t : tokens) {
      String problem = tokenProblem(t);
      if (problem != null) {
        throw new IllegalArgumentException("bootstrap token \"" + t + "\": " + problem);
      }
    }
  }

  /** The parameter announcing {@code methods} in this order of preference. */
  public static BootstrapParameter of(Collection<BootstrapMethod> methods) {
    return new BootstrapParameter(methods.stream().map(BootstrapMethod::token).toList());
  }

  /** The parameter announcing {@code methods} in this order of preference. */
  public static BootstrapParameter of(BootstrapMethod... methods) {
    return of(List.of(methods));
  }

  /**
   * Parses the presentation value (without quotes), e.g. {@code at-apex,at-ns>manual}.
   *
   * @throws MalformedDataException for an empty value or token, or a character other than
   *     visible ASCII
   */
  public static BootstrapParameter parse(String value) throws MalformedDataException {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= value.length(); i++) {
      if (i == value.length() || value.charAt(i) == ',' || value.charAt(i) == '>') {
        String token = value.substring(start, i);
        String problem = tokenProblem(token);
        if (problem != null) {
          throw new MalformedDataException("SVCB bootstrap", start, problem);
        }
        out.add(token);
        start = i + 1;
      }
    }
    return new BootstrapParameter(out);
  }

  /**
   * Parses the SvcParamValue octets.
   *
   * @throws MalformedDataException as {@link #parse(String)}, offsets counting octets
   */
  public static BootstrapParameter fromWire(byte[] value) throws MalformedDataException {
    for (int i = 0; i < value.length; i++) {
      if (value[i] < 0x21 || value[i] > 0x7E) {
        throw new MalformedDataException("SVCB bootstrap", i,
            String.format("octet 0x%02x is not visible ASCII", value[i] & 0xFF));
      }
    }
    return parse(new String(value, StandardCharsets.US_ASCII));
  }

  /** The presentation value, tokens joined by {@code ,}. */
  public String value() {
    return String.join(",", tokens);
  }

  /** The SvcParamValue octets. */
  public byte[] toWire() {
    return value().getBytes(StandardCharsets.US_ASCII);
  }

  /** The known methods in the announced order; unknown tokens are left out. */
  public List<BootstrapMethod> methods() {
    List<BootstrapMethod> out = new ArrayList<>();
    for (String t : tokens) {
      BootstrapMethod.fromToken(t).ifPresent(out::add);
    }
    return List.copyOf(out);
  }

  /**
   * The method a child should use: the strongest announced method among those it can
   * {@code satisfy}; between equally strong methods the parent's order decides (ddns §9.5).
   * Empty when none fits, in which case the child has to arrange bootstrap out of band.
   */
  public Optional<BootstrapMethod> choose(Set<BootstrapMethod> satisfy) {
    List<BootstrapMethod> announced = methods();
    return announced.stream()
        .filter(satisfy::contains)
        .min(Comparator.comparingInt((BootstrapMethod m) -> -m.strength())
            .thenComparingInt(announced::indexOf));
  }

  /**
   * The parameter of an SVCB record, or empty when the record is in AliasMode or lacks the key
   * {@code codepoints.svcbBootstrapKey()}.
   *
   * @throws MalformedDataException when the parameter is present but malformed
   */
  public static Optional<BootstrapParameter> from(SVCBRecord svcb, Codepoints codepoints)
      throws MalformedDataException {
    if (svcb.getSvcPriority() == 0) {
      return Optional.empty();
    }
    SVCBBase.ParameterBase p = svcb.getSvcParamValue(codepoints.svcbBootstrapKey());
    if (p == null) {
      return Optional.empty();
    }
    return Optional.of(fromWire(p.toWire()));
  }

  /**
   * The parameter announced by an SVCB RRset at a DSYNC target: that of the ServiceMode record
   * with the lowest SvcPriority that carries it (RFC 9460 §2.4.1: lower is preferred). Records
   * of other types are skipped.
   *
   * @throws MalformedDataException when the chosen record's parameter is malformed
   */
  public static Optional<BootstrapParameter> fromRecords(Collection<? extends Record> records,
      Codepoints codepoints) throws MalformedDataException {
    @Nullable SVCBRecord best = null;
    for (Record r : records) {
      if (r instanceof SVCBRecord s && s.getSvcPriority() > 0
          && s.getSvcParamValue(codepoints.svcbBootstrapKey()) != null
          && (best == null || s.getSvcPriority() < best.getSvcPriority())) {
        best = s;
      }
    }
    return best == null ? Optional.empty() : from(best, codepoints);
  }

  /**
   * Reads the parameter a parent announces at its DSYNC UPDATE target {@code target} (ddns
   * §9.5): empty when there is no ServiceMode SVCB carrying it, or the lookup failed or was
   * BOGUS. Use a validating lookup: a signed SVCB is the child's downgrade protection.
   *
   * @return a stage failing with {@link MalformedDataException} when the parameter is malformed
   */
  public static java.util.concurrent.CompletionStage<Optional<BootstrapParameter>> lookup(
      io.github.zonecut.core.DnsLookup lookup, Name target, Codepoints codepoints) {
    return lookup.lookup(target, org.xbill.DNS.Type.SVCB).thenCompose(r -> {
      if (!(r instanceof io.github.zonecut.core.LookupResult.Answer a)) {
        return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
      }
      try {
        return java.util.concurrent.CompletableFuture.completedFuture(
            fromRecords(a.rrset().rrs(), codepoints));
      } catch (MalformedDataException e) {
        return java.util.concurrent.CompletableFuture.failedFuture(e);
      }
    });
  }

  /**
   * A ServiceMode SVCB record carrying this parameter, for a parent to publish at its DSYNC
   * UPDATE target.
   *
   * @param owner the DSYNC target name
   * @param priority SvcPriority, at least 1 (ServiceMode)
   * @param target the SvcTargetName; {@code .} means the owner itself (RFC 9460 §2.5)
   * @throws IllegalArgumentException for priority 0 (AliasMode) or out of range
   */
  public SVCBRecord toSvcb(Name owner, long ttl, int priority, Name target,
      Codepoints codepoints) {
    if (priority < 1 || priority > 0xFFFF) {
      throw new IllegalArgumentException(
          "SvcPriority must be 1..65535 (ServiceMode; AliasMode parameters are ignored): "
              + priority);
    }
    Objects.requireNonNull(target, "target");
    return new SVCBRecord(owner, DClass.IN, ttl, priority, target,
        List.of(new SVCBBase.ParameterUnknown(codepoints.svcbBootstrapKey(), toWire())));
  }

  private static @Nullable String tokenProblem(String t) {
    if (t.isEmpty()) {
      return "empty token";
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < 0x21 || c > 0x7E || c == ',' || c == '>' || c == '"' || c == '\\') {
        return "character " + (int) c + " not allowed in a token";
      }
    }
    return null;
  }
}
