package io.github.zonecut.dsync;

import io.github.zonecut.core.Names;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The question an observation answers: an owner name and an RR type. Names compare as labels,
 * case-insensitively (dnsjava {@code Name.equals}).
 *
 * @param name an absolute name
 * @param type an RR type code
 */
public record RRsetKey(Name name, int type) {
  /** Checks the name is absolute and the type a u16. */
  public RRsetKey {
    Names.requireAbsolute("name", name);
    Type.check(type);
  }

  /** The key (name, type). */
  public static RRsetKey of(Name name, int type) {
    return new RRsetKey(name, type);
  }

  @Override
  public String toString() {
    return name + "/" + Type.string(type);
  }
}
