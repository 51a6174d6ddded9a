package io.github.zonecut.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Output;
import io.github.zonecut.multisigner.DsRecord;
import io.github.zonecut.multisigner.Intent;
import io.github.zonecut.multisigner.ParentPolicy;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.Simulation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON files of {@code zonecut plan}: the snapshot (a zone's signers, its signer group and its
 * parent, as the multi-signer {@link Simulation} models them) and the intent (the group wanted).
 * The one place the CLI touches multisigner value types.
 *
 * <p>Snapshot:
 *
 * <pre>{@code
 * {
 *   "zone": "example.",                       // required
 *   "seed": 8901,                             // key material and jitter (default 8901)
 *   "signers": [                              // required, at least one
 *     {"id": "alpha", "algorithm": 13, "csk": false},
 *     {"id": "bravo", "algorithm": 13, "csk": false}
 *   ],
 *   "group": ["alpha"],                       // required: who signs today
 *   "parent": {                               // optional, RFC 8078/7477 processing
 *     "digestTypes": [2], "cds": true, "cdnskey": true, "csync": true,
 *     "delaySeconds": 3600, "acts": true
 *   },
 *   "latencySeconds": 0                       // publication latency of the signers
 * }
 * }</pre>
 *
 * <p>Intent: {@code {"group": ["bravo"], "maxRounds": 200}} (maxRounds optional, default 200).
 */
final class PlanFiles {
  private static final Set<String> SNAPSHOT_FIELDS =
      Set.of("zone", "seed", "signers", "group", "parent", "latencySeconds");
  private static final Set<String> SIGNER_FIELDS = Set.of("id", "algorithm", "csk");
  private static final Set<String> PARENT_FIELDS =
      Set.of("digestTypes", "cds", "cdnskey", "csync", "delaySeconds", "acts");
  private static final Set<String> INTENT_FIELDS = Set.of("group", "maxRounds");

  private PlanFiles() {}

  /** A parsed snapshot and intent: the world to plan in, and what to plan for. */
  record Input(Simulation world, Intent intent, int maxRounds, String zone) {}

  static Input read(Path snapshotFile, Path intentFile) throws CliException {
    JsonNode snapshot = json(snapshotFile, "snapshot");
    JsonNode intent = json(intentFile, "intent");
    String where = "snapshot " + snapshotFile;
    known(snapshot, SNAPSHOT_FIELDS, where);
    String zone = text(snapshot, "zone", where);
    Simulation.Builder b = Simulation.builder(Inputs.name(zone, where + ": zone"));
    b.seed(snapshot.path("seed").asLong(8901));
    JsonNode signers = snapshot.path("signers");
    if (!signers.isArray() || signers.isEmpty()) {
      throw CliException.usage("bad " + where + ": \"signers\" must be a non-empty array");
    }
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode s : signers) {
      String sw = where + ": signer " + (ids.size() + 1);
      known(s, SIGNER_FIELDS, sw);
      String id = text(s, "id", sw);
      if (!ids.add(id)) {
        throw CliException.usage("bad " + where + ": signer \"" + id + "\" appears twice");
      }
      int alg = s.path("algorithm").asInt(13);
      if (alg != 8 && alg != 10 && alg != 13 && alg != 14 && alg != 15 && alg != 16) {
        throw CliException.usage("bad " + sw + ": algorithm " + alg
            + " (one of 8, 10, 13, 14, 15, 16)");
      }
      try {
        b.signer(id, alg, s.path("csk").asBoolean(false));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("bad " + sw + ": " + e.getMessage());
      }
    }
    List<String> group = labels(snapshot, "group", where, ids);
    b.group(group.toArray(new String[0]));
    JsonNode parent = snapshot.path("parent");
    if (!parent.isMissingNode()) {
      known(parent, PARENT_FIELDS, where + ": parent");
      List<Integer> digests = new ArrayList<>();
      JsonNode d = parent.path("digestTypes");
      if (d.isMissingNode()) {
        digests.add(DsRecord.SHA256);
      } else {
        for (JsonNode n : d) {
          digests.add(n.asInt());
        }
      }
      try {
        b.parentPolicy(new ParentPolicy(digests, parent.path("cds").asBoolean(true),
            parent.path("cdnskey").asBoolean(true), parent.path("csync").asBoolean(true),
            ParentPolicy.DEFAULT.timeout()));
      } catch (IllegalArgumentException e) {
        throw CliException.usage("bad " + where + ": parent: " + e.getMessage());
      }
      b.parentDelay(Duration.ofSeconds(seconds(parent, "delaySeconds", 3600, where)),
          Duration.ZERO);
      b.parentActs(parent.path("acts").asBoolean(true));
    } else {
      b.parentDelay(Duration.ofHours(1), Duration.ZERO);
    }
    b.latency(Duration.ofSeconds(seconds(snapshot, "latencySeconds", 0, where)));

    String iw = "intent " + intentFile;
    known(intent, INTENT_FIELDS, iw);
    List<String> wanted = labels(intent, "group", iw, ids);
    Set<SignerId> target = new LinkedHashSet<>();
    for (String w : wanted) {
      target.add(SignerId.of(w));
    }
    int maxRounds = intent.path("maxRounds").asInt(200);
    if (maxRounds < 1 || maxRounds > 10_000) {
      throw CliException.usage("bad " + iw + ": maxRounds must be 1-10000");
    }
    try {
      return new Input(b.build(), Intent.group(target), maxRounds, zone);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CliException.usage("bad " + where + ": " + e.getMessage());
    }
  }

  private static JsonNode json(Path file, String what) throws CliException {
    byte[] bytes = Inputs.readFile(file, what + " file");
    try {
      JsonNode n = Output.mapper().readTree(new String(bytes, StandardCharsets.UTF_8));
      if (n == null || !n.isObject()) {
        throw CliException.usage("bad " + what + " " + file + ": not a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new CliException(ExitCode.USAGE, "bad JSON in " + what + " " + file + at + ": "
          + Inputs.jsonProblem(e.getOriginalMessage()), e);
    }
  }

  private static void known(JsonNode node, Set<String> fields, String where)
      throws CliException {
    if (!node.isObject()) {
      throw CliException.usage("bad " + where + ": expected a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      String f = it.next().getKey();
      if (!fields.contains(f)) {
        throw CliException.usage("bad " + where + ": unknown field \"" + f + "\" (known: "
            + String.join(", ", new java.util.TreeSet<>(fields)) + ")");
      }
    }
  }

  private static String text(JsonNode node, String field, String where) throws CliException {
    JsonNode n = node.path(field);
    if (!n.isTextual() || n.asText().isBlank()) {
      throw CliException.usage("bad " + where + ": \"" + field + "\" must be a non-empty string");
    }
    return n.asText();
  }

  private static long seconds(JsonNode node, String field, long dflt, String where)
      throws CliException {
    JsonNode n = node.path(field);
    if (n.isMissingNode()) {
      return dflt;
    }
    if (!n.canConvertToLong() || n.asLong() < 0) {
      throw CliException.usage("bad " + where + ": \"" + field + "\" must be seconds >= 0");
    }
    return n.asLong();
  }

  private static List<String> labels(JsonNode node, String field, String where, Set<String> ids)
      throws CliException {
    JsonNode n = node.path(field);
    if (!n.isArray() || n.isEmpty()) {
      throw CliException.usage("bad " + where + ": \"" + field
          + "\" must be a non-empty array of signer ids");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      String id = e.asText();
      if (!ids.contains(id)) {
        throw CliException.usage("bad " + where + ": \"" + field + "\" names unknown signer \""
            + id + "\"");
      }
      out.add(id);
    }
    return out;
  }
}
