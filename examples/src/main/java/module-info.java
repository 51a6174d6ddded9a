/**
 * Runnable zonecut programs: the in-process demo's story (which the {@code zonecut demo} command
 * of the {@code cli} module plays) and one example program per kind of user.
 */
module io.github.zonecut.examples {
  requires transitive io.github.zonecut.core;
  requires transitive io.github.zonecut.sig0;
  requires transitive io.github.zonecut.keystate;
  requires transitive io.github.zonecut.dsync;
  requires transitive io.github.zonecut.multisigner;
  requires transitive io.github.zonecut.testkit;
  requires org.xerial.sqlitejdbc; // RegistryParent, ChildOperatorAgent keep the registry in SQLite
  requires static org.jspecify;

  exports io.github.zonecut.examples;
}
