package io.github.zonecut.sig0;

import io.github.zonecut.core.ZonecutException;

/**
 * A {@link Sig0ReplayStore} could not be read or written: whether a signature was seen before is
 * unknown, so the verifier refuses it ({@link Sig0Outcome.ReplayGuardUnavailable}).
 */
public final class Sig0ReplayStoreException extends ZonecutException {
  private static final long serialVersionUID = 1L;

  public Sig0ReplayStoreException(String message) {
    super(message);
  }

  public Sig0ReplayStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
