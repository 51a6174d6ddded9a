package io.github.zonecut.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** A plain HTTP GET for scraping the metrics endpoint in tests (one copy for every test package). */
public final class Http {
  private Http() {}

  /** The status and body of GET {@code url}. */
  public static String[] get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    try {
      int status = c.getResponseCode();
      InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new String[] {String.valueOf(status), body,
          String.valueOf(c.getHeaderField("Content-Type"))};
    } finally {
      c.disconnect();
    }
  }
}
