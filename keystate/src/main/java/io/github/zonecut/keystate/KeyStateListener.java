package io.github.zonecut.keystate;

/**
 * Receives the {@link KeyStateEvent} of every message a {@link KeyStateResponder} is handed, on
 * the handling thread: the host's audit trail of who asked about which key and what the parent
 * answered (draft-berra-dnsop-keystate; draft-ietf-dnsop-delegation-mgmt-via-ddns §9.3, §11).
 * Keep it quick; a listener that throws is logged and ignored, and the answer is unchanged.
 */
@FunctionalInterface
public interface KeyStateListener {
  /** Ignores every event. */
  KeyStateListener NONE = event -> {};

  /** One message was handled. */
  void onEvent(KeyStateEvent event);
}
