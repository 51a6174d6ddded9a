package io.github.zonecut.dsync;

import io.github.zonecut.core.ZonecutException;

/** A {@link DelegationBackend} could not read or write; nothing was half-applied. */
public final class BackendException extends ZonecutException {
  private static final long serialVersionUID = 1L;

  /** A failure with its cause. */
  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure without a cause. */
  public BackendException(String message) {
    super(message);
  }
}
