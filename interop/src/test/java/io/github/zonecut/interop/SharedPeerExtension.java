package io.github.zonecut.interop;

import java.util.function.Function;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Starts one peer (a {@link Testnet}, the {@link Sig0Peers}, a {@link Postgres}) at most once per
 * test run and hands it to every test class that asks for it.
 *
 * <p>The running peer lives in the <em>root</em> {@link ExtensionContext.Store}, so all test classes
 * of the run share it and JUnit closes it (it is {@link AutoCloseable}) when the whole run ends.
 *
 * <p>The availability check is an {@link ExecutionCondition}, evaluated before anything starts: a
 * missing tool <em>disables</em> the class with the "interop: skipped, … — install …" message (a
 * condition's reason is what surefire and IDEs show for a skipped class; an exception thrown in
 * {@code beforeAll} would be reported as "0 tests" without it). Under {@code CI=true} the check
 * throws instead and the class fails.
 *
 * @param <T> the peer type
 */
abstract class SharedPeerExtension<T extends AutoCloseable>
    implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedPeerExtension.class);

  private final Class<T> type;

  SharedPeerExtension(Class<T> type) {
    this.type = type;
  }

  /** Skips or fails (see {@link Peers}) when the peer's software is missing. */
  abstract void requireAvailable();

  /** Starts the peer; called once per run. */
  abstract T start();

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    try {
      requireAvailable();
      return ConditionEvaluationResult.enabled("interop peer available: " + type.getSimpleName());
    } catch (TestAbortedException e) {
      return ConditionEvaluationResult.disabled(e.getMessage());
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    get(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return get(context);
  }

  private T get(ExtensionContext context) {
    requireAvailable();
    Function<Class<T>, T> starter = k -> start();
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(type, starter, type);
  }
}
