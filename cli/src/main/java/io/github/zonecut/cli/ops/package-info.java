/**
 * The operational commands: the child's {@code update send}, {@code notify send}, {@code keystate
 * inquire} and {@code signals}, the parent's {@code receiver serve} and the registry's {@code
 * scan}. Each wraps one dsync or keystate API and reports its outcome on one line (or one JSON
 * object).
 */
@NullMarked
package io.github.zonecut.cli.ops;

import org.jspecify.annotations.NullMarked;
