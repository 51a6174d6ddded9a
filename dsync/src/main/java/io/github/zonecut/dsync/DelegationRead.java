package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import java.util.List;
import java.util.Objects;

/**
 * What reading a delegation from authoritative servers produced ({@link DelegationReader}): the
 * delegation, servers that disagree, or no usable answer. A value, never an exception.
 */
public sealed interface DelegationRead
    permits DelegationRead.Found, DelegationRead.Inconsistent, DelegationRead.Unavailable {

  /**
   * Every server that answered gave the same delegation.
   *
   * @param delegation the delegation
   * @param sources the servers whose answers it was read from
   */
  record Found(Delegation delegation, List<DnsEndpoint> sources) implements DelegationRead {
    /** Checks and copies. */
    public Found {
      Objects.requireNonNull(delegation, "delegation");
      sources = List.copyOf(sources);
    }
  }

  /**
   * The servers disagree (a secondary that has not caught up): wait before acting (RFC 8078 §3,
   * RFC 7477 §4: act only on data all servers agree on).
   *
   * @param detail which servers gave what
   */
  record Inconsistent(String detail) implements DelegationRead {
    /** Checks the field. */
    public Inconsistent {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * No server gave a usable answer.
   *
   * @param problems one line per server
   */
  record Unavailable(List<String> problems) implements DelegationRead {
    /** Copies the list. */
    public Unavailable {
      problems = List.copyOf(problems);
    }
  }
}
