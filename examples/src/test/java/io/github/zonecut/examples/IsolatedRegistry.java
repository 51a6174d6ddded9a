package io.github.zonecut.examples;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Loads classes in a fresh class loader with its own copy of dnsjava, whose type registry no
 * other test has touched, to check that merely initialising a zonecut entry class registers
 * zonecut's record types (issue 14 item 6).
 */
final class IsolatedRegistry {
  private IsolatedRegistry() {}

  /**
   * In a fresh dnsjava, initialises {@code entryClass} (if not null) and parses {@code
   * "_dsync.example. 3600 IN DSYNC CDS NOTIFY 5359 ns1.example."} with dnsjava's {@code
   * Record.fromString}; returns the parsed record's class name, or the parse error's message.
   */
  static String parseDsyncAfterLoading(@Nullable String entryClass) throws Exception {
    try (URLClassLoader isolated = new URLClassLoader(testPath(),
        ClassLoader.getPlatformClassLoader())) {
      if (entryClass != null) {
        Class.forName(entryClass, true, isolated);
      }
      Class<?> name = Class.forName("org.xbill.DNS.Name", true, isolated);
      Class<?> record = Class.forName("org.xbill.DNS.Record", true, isolated);
      Object owner = name.getMethod("fromString", String.class).invoke(null, "_dsync.example.");
      Object root = name.getField("root").get(null);
      try {
        Object rr = record.getMethod("fromString", name, int.class, int.class, long.class,
                String.class, name)
            .invoke(null, owner, 66, 1, 3600L, "CDS NOTIFY 5359 ns1.example.", root);
        return rr.getClass().getName();
      } catch (InvocationTargetException e) {
        return String.valueOf(e.getCause().getMessage());
      }
    }
  }

  private static URL[] testPath() throws MalformedURLException {
    List<URL> urls = new ArrayList<>();
    for (String prop : new String[] {"java.class.path", "jdk.module.path"}) {
      String v = System.getProperty(prop);
      if (v == null || v.isEmpty()) {
        continue;
      }
      for (String p : v.split(File.pathSeparator)) {
        if (!p.isEmpty()) {
          urls.add(Path.of(p).toUri().toURL());
        }
      }
    }
    return urls.toArray(new URL[0]);
  }
}
