package io.github.zonecut.dsync;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that breaks one kind of statement, to show a backend's transaction leaves
 * nothing behind: every prepared statement whose SQL matches fails when executed, either with an
 * {@link SQLException} (the database refuses) or with a {@link SimulatedCrash} error that no
 * backend catches, so the connection is closed with the transaction neither committed nor rolled
 * back (the process "dies" mid-change).
 */
public final class FailingDataSource {

  /** Thrown instead of the statement's execution to model the process dying. */
  public static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String sql) {
      super("simulated crash before: " + sql);
    }
  }

  private FailingDataSource() {}

  /**
   * Wraps {@code target}.
   *
   * @param fails which SQL texts fail
   * @param crash true for {@link SimulatedCrash}, false for {@link SQLException}
   */
  public static DataSource wrap(DataSource target, Predicate<String> fails, boolean crash) {
    return proxy(DataSource.class, target, (p, m, args) -> {
      Object r = invoke(target, m, args);
      return r instanceof Connection c ? connection(c, fails, crash) : r;
    });
  }

  /** The SQL of the applied-changes insert: the last statement of a JDBC apply. */
  public static boolean recordsApplied(String sql) {
    return sql.startsWith("INSERT INTO zonecut_dsync_applied");
  }

  private static Connection connection(Connection c, Predicate<String> fails, boolean crash) {
    return proxy(Connection.class, c, (p, m, args) -> {
      Object r = invoke(c, m, args);
      if (r instanceof PreparedStatement ps && m.getName().equals("prepareStatement")
          && args != null && args[0] instanceof String sql && fails.test(sql)) {
        return statement(ps, sql, crash);
      }
      return r;
    });
  }

  private static PreparedStatement statement(PreparedStatement ps, String sql, boolean crash) {
    return proxy(PreparedStatement.class, ps, (p, m, args) -> {
      if (m.getName().startsWith("execute")) {
        if (crash) {
          throw new SimulatedCrash(sql);
        }
        throw new SQLException("injected failure: " + sql);
      }
      return invoke(ps, m, args);
    });
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Object target, InvocationHandler h) {
    return (T) Proxy.newProxyInstance(FailingDataSource.class.getClassLoader(),
        new Class<?>[] {type}, h);
  }
}
