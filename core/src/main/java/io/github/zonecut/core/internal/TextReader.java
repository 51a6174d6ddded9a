package io.github.zonecut.core.internal;

import io.github.zonecut.core.MalformedDataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * A strict cursor over the tokens of one RDATA in presentation format. The same reader serves
 * zonecut's own {@code parse} methods and dnsjava's text hook, so both paths accept exactly the
 * same input.
 */
public final class TextReader {
  private final String type;
  private final List<Token> tokens;
  private final @Nullable Name origin;
  private int next;

  private TextReader(String type, List<Token> tokens, @Nullable Name origin) {
    this.type = type;
    this.tokens = tokens;
    this.origin = origin;
  }

  /**
   * Splits {@code text} on unquoted white space. A double quote opens a quoted token even in the
   * middle of a word ({@code key="v"} is two tokens, {@code key=} and {@code v}), as dnsjava's
   * {@link Tokenizer} does, and a backslash escapes the next character.
   */
  public static TextReader of(String type, String text, @Nullable Name origin)
      throws MalformedDataException {
    List<Token> out = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
        continue;
      }
      sb.setLength(0);
      if (c == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char d = text.charAt(i++);
          if (d == '\\') {
            if (i >= n) {
              break;
            }
            sb.append(d).append(text.charAt(i++));
          } else if (d == '"') {
            closed = true;
            break;
          } else {
            sb.append(d);
          }
        }
        if (!closed) {
          throw new MalformedDataException(type + " text", -1, "unterminated quoted string");
        }
        out.add(new Token(sb.toString(), true));
        continue;
      }
      while (i < n) {
        char d = text.charAt(i);
        if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '"') {
          break;
        }
        i++;
        if (d == '\\') {
          if (i >= n) {
            throw new MalformedDataException(type + " text", -1, "dangling backslash");
          }
          sb.append(d).append(text.charAt(i++));
        } else {
          sb.append(d);
        }
      }
      out.add(new Token(sb.toString(), false));
    }
    return new TextReader(type, out, origin);
  }

  /**
   * Takes the tokens of the current line from dnsjava's tokenizer (leaving the end of line for
   * dnsjava to consume).
   */
  public static TextReader of(String type, Tokenizer st, @Nullable Name origin)
      throws IOException {
    List<Token> out = new ArrayList<>();
    while (true) {
      Tokenizer.Token t = st.get();
      if (t.type == Tokenizer.EOL || t.type == Tokenizer.EOF) {
        st.unget();
        break;
      }
      String value = t.value;
      out.add(new Token(value == null ? "" : value, t.type == Tokenizer.QUOTED_STRING));
    }
    return new TextReader(type, out, origin);
  }

  public MalformedDataException error(String field, String problem) {
    return new MalformedDataException(type + " " + field, -1, problem);
  }

  public boolean hasNext() {
    return next < tokens.size();
  }

  /** The next token, which must exist. */
  public Token next(String field) throws MalformedDataException {
    if (next >= tokens.size()) {
      throw error(field, "missing");
    }
    return tokens.get(next++);
  }

  /** Looks at the next token without taking it; null at the end. */
  public @Nullable Token peek() {
    return next < tokens.size() ? tokens.get(next) : null;
  }

  /** The next token as an unquoted word. */
  public String word(String field) throws MalformedDataException {
    Token t = next(field);
    if (t.quoted()) {
      throw error(field, "unexpected quoted string \"" + t.text() + "\"");
    }
    return t.text();
  }

  /** An RR type mnemonic, or {@code TYPEnnn} (RFC 3597 §5). */
  public int type(String field) throws MalformedDataException {
    String t = word(field);
    int v = Type.value(t);
    if (v < 0) {
      throw error(field, "unknown type mnemonic \"" + t + "\"");
    }
    return v;
  }

  /** An unsigned decimal no larger than {@code max}, without sign or leading junk. */
  public long number(String field, long max) throws MalformedDataException {
    return parseNumber(field, word(field), max);
  }

  public long parseNumber(String field, String s, long max) throws MalformedDataException {
    if (s.isEmpty() || s.length() > 10) {
      throw error(field, "not an unsigned decimal: \"" + s + "\"");
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw error(field, "not an unsigned decimal: \"" + s + "\"");
      }
      v = v * 10 + (c - '0');
    }
    if (v > max) {
      throw error(field, "out of range 0.." + max + ": " + s);
    }
    return v;
  }

  /**
   * An absolute domain name; relative names are completed with the origin given by dnsjava's
   * zone-file reader, and refused when there is none.
   */
  public Name name(String field) throws MalformedDataException {
    String s = word(field);
    Name n;
    try {
      n = Name.fromString(s, origin);
    } catch (TextParseException e) {
      throw new MalformedDataException(type + " " + field, -1, "bad name \"" + s + "\": "
          + e.getMessage(), e);
    }
    if (!n.isAbsolute()) {
      throw error(field, "relative name \"" + s + "\" (write it with a trailing dot)");
    }
    return n;
  }

  /** Fails if tokens are left over. */
  public void end() throws MalformedDataException {
    if (next < tokens.size()) {
      throw error("text", "unexpected trailing token \"" + tokens.get(next).text() + "\"");
    }
  }

  /**
   * Decodes RFC 1035 §5.1 escapes ({@code \X} and {@code \DDD}) into octets. Characters outside
   * US-ASCII are refused rather than guessed at.
   */
  public byte[] unescape(String field, String s) throws MalformedDataException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c > 0x7E || (c < 0x20 && c != '\t')) {
        throw error(field, "non-ASCII or control character; escape it as \\DDD");
      }
      if (c != '\\') {
        out.write(c);
        continue;
      }
      if (i >= s.length()) {
        throw error(field, "dangling backslash");
      }
      char d = s.charAt(i);
      if (d >= '0' && d <= '9') {
        if (i + 3 > s.length()) {
          throw error(field, "bad \\DDD escape");
        }
        int v = 0;
        for (int k = 0; k < 3; k++) {
          char e = s.charAt(i + k);
          if (e < '0' || e > '9') {
            throw error(field, "bad \\DDD escape");
          }
          v = v * 10 + (e - '0');
        }
        if (v > 255) {
          throw error(field, "\\DDD escape above 255");
        }
        out.write(v);
        i += 3;
      } else {
        out.write(d);
        i++;
      }
    }
    return out.toByteArray();
  }

  /**
   * Renders octets as presentation text, escaping what would break tokenisation: quotes,
   * backslashes and non-printable octets ({@code \DDD}); white space too unless quoted.
   */
  public static String escape(byte[] b, boolean quoted) {
    StringBuilder sb = new StringBuilder(b.length + 2);
    for (byte x : b) {
      int v = x & 0xFF;
      if (v < 0x20 || v > 0x7E || (!quoted && v == ' ')) {
        sb.append('\\');
        sb.append((char) ('0' + v / 100)).append((char) ('0' + v / 10 % 10))
            .append((char) ('0' + v % 10));
      } else if (v == '"' || v == '\\' || (!quoted && (v == ';' || v == '(' || v == ')'))) {
        sb.append('\\').append((char) v);
      } else {
        sb.append((char) v);
      }
    }
    return sb.toString();
  }
}
