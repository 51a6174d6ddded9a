package io.github.zonecut.keystate.internal;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.keystate.KeyAnswer;
import io.github.zonecut.keystate.KeyAnswer.Security;
import io.github.zonecut.keystate.KeyLookup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The {@link KeyLookup} adapters. */
public final class KeyLookups {
  private KeyLookups() {}

  public static KeyLookup validating(Resolver resolver, Executor executor) {
    return name -> resolver.sendAsync(query(name, true), executor)
        .handle((m, err) -> {
          if (err != null) {
            return failed(name, err);
          }
          if (m.getRcode() == Rcode.SERVFAIL) {
            // dnsjava's validator answers SERVFAIL (with an EDE) for BOGUS data
            return new KeyAnswer(name, Security.BOGUS, List.of(), reason(m));
          }
          Security s = m.getHeader().getFlag(Flags.AD) ? Security.SECURE : Security.INSECURE;
          return classify(name, m, s);
        });
  }

  public static KeyLookup direct(DnsTransport transport, DnsEndpoint server, Duration timeout) {
    return name -> transport.exchange(server, query(name, false), TransportProtocol.TCP, timeout)
        .handle((r, err) -> {
          if (err != null) {
            return failed(name, err);
          }
          Message m = r.message();
          if (!m.getHeader().getFlag(Flags.AA)) {
            return new KeyAnswer(name, Security.FAILED, List.of(),
                server + " is not authoritative (no AA)");
          }
          return classify(name, m, Security.UNVALIDATED);
        });
  }

  private static KeyAnswer classify(Name name, Message m, Security s) {
    int rcode = m.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return new KeyAnswer(name, Security.FAILED, List.of(), "RCODE " + Rcode.string(rcode));
    }
    List<KEYRecord> keys = new ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof KEYRecord k && k.getName().equals(name)) {
        keys.add(k);
      }
    }
    return new KeyAnswer(name, s, keys, Rcode.string(rcode) + ", " + keys.size() + " KEY");
  }

  private static Message query(Name name, boolean dnssecOk) {
    Message q = Message.newQuery(Record.newRecord(name, Type.KEY, DClass.IN));
    if (!dnssecOk) {
      q.getHeader().unsetFlag(Flags.RD);
    }
    return q;
  }

  private static String reason(Message m) {
    StringBuilder sb = new StringBuilder("SERVFAIL from the validator");
    var opt = m.getOPT();
    if (opt != null) {
      opt.getOptions().forEach(o -> sb.append("; ").append(o));
    }
    return sb.toString();
  }

  private static KeyAnswer failed(Name name, Throwable err) {
    Throwable c = err instanceof CompletionException && err.getCause() != null
        ? err.getCause() : err;
    return new KeyAnswer(name, Security.FAILED, List.of(), String.valueOf(c.getMessage()));
  }
}
