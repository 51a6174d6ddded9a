package io.github.zonecut.testkit;

import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a {@link TestHierarchy} for a test class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static TestHierarchyExtension hierarchy =
 *     TestHierarchyExtension.of(b -> b.zone("test.").zone("child.test."));
 *
 * @Test
 * void resolves() throws Exception {
 *   Message m = hierarchy.get().newValidatingResolver().send(query);
 * }
 * }</pre>
 *
 * <p>Registered on a static field, the hierarchy starts before all tests and stops after all;
 * on an instance field, it starts before and stops after each test. Faults and edits a test makes
 * persist for later tests of the class when the field is static: reset them in the test.
 */
public final class TestHierarchyExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final Consumer<TestHierarchy.Builder> config;
  private volatile @Nullable TestHierarchy hierarchy;
  private volatile boolean perClass;

  private TestHierarchyExtension(Consumer<TestHierarchy.Builder> config) {
    this.config = config;
  }

  /** An extension whose hierarchy is described by {@code config}. */
  public static TestHierarchyExtension of(Consumer<TestHierarchy.Builder> config) {
    return new TestHierarchyExtension(Objects.requireNonNull(config, "config"));
  }

  /**
   * The running hierarchy.
   *
   * @throws IllegalStateException outside the extension's lifetime
   */
  public TestHierarchy get() {
    TestHierarchy h = hierarchy;
    if (h == null) {
      throw new IllegalStateException("the test hierarchy is not running (register the extension with @RegisterExtension)");
    }
    return h;
  }

  private synchronized void startIfStopped() throws Exception {
    if (hierarchy == null) {
      TestHierarchy.Builder builder = TestHierarchy.builder();
      config.accept(builder);
      hierarchy = builder.start();
    }
  }

  private synchronized void stop() {
    TestHierarchy h = hierarchy;
    hierarchy = null;
    if (h != null) {
      h.close();
    }
  }

  /** Starts the hierarchy for the whole class (static registration). */
  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    perClass = true;
    startIfStopped();
  }

  /** Stops the hierarchy and closes all its sockets. */
  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts the hierarchy for one test, when registered on an instance field. */
  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    startIfStopped();
  }

  /** Stops a per-test hierarchy. */
  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }
}
