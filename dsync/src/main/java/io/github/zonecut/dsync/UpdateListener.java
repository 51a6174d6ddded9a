package io.github.zonecut.dsync;

/**
 * Receives the {@link UpdateEvent} of every request an {@link UpdateReceiver} handles, on the
 * handling thread. Keep it quick; a listener that throws is logged and ignored.
 */
@FunctionalInterface
public interface UpdateListener {
  /** Ignores every event. */
  UpdateListener NONE = event -> {};

  /** One request was handled. */
  void onEvent(UpdateEvent event);
}
