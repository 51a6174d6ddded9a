package io.github.zonecut.keystate;

import io.github.zonecut.core.ZonecutException;

/** A {@link TrustStore} could not read or write: the registry's state is unknown, not changed. */
public final class StoreException extends ZonecutException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
