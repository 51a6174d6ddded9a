package io.github.zonecut.cli.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.core.Codepoints;
import io.github.zonecut.dsync.AgentResult;
import io.github.zonecut.dsync.DelegationAgent;
import io.github.zonecut.dsync.UpdateTarget;
import io.github.zonecut.keystate.InquiryResult;
import io.github.zonecut.keystate.KeyStateCode;
import io.github.zonecut.keystate.KeyStateInquiryClient;
import io.github.zonecut.sig0.InMemorySig0KeyStore;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0KeyState;
import io.github.zonecut.sig0.Sig0Signer;
import java.time.Duration;
import java.util.Objects;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code zonecut keystate inquire}: asks the parent's UPDATE receiver what it thinks of the
 * child's SIG(0) key (draft-berra-dnsop-keystate; ddns §9.2): a SIG(0)-signed QUERY with the
 * KeyState EDNS(0) option to the DSYNC UPDATE target, whose answer must be signed by the
 * receiver's KEY found SECURE in the DNS.
 */
@Command(name = "inquire", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Ask the parent's UPDATE receiver (found with DSYNC) the state of CHILD's "
        + "SIG(0) key (KeyState, draft-berra-dnsop-keystate): trusted, unknown, being validated…")
public final class KeystateInquireCommand extends ZonecutCommand {
  private static final Codepoints CODEPOINTS = Codepoints.DEFAULT;

  @Parameters(index = "0", paramLabel = "CHILD", description = "The delegated zone.")
  private String child = "";

  @Option(names = "--key", required = true, paramLabel = "KBASE",
      description = "The child's SIG(0) key: BIND files KBASE.key and KBASE.private.")
  private String key = "";

  @Option(names = "--tries", paramLabel = "N", defaultValue = "3",
      description = "Tries in all, 1-10 (default ${DEFAULT-VALUE}); each waits 5 s, doubling.")
  private int tries;

  /** For picocli. */
  public KeystateInquireCommand() {}

  @Override
  protected ExitCode run(Session session, Output out) throws Exception {
    Name zone = Inputs.name(child, "CHILD");
    if (tries < 1 || tries > 10) {
      throw CliException.usage("bad --tries " + tries + ": 1 to 10");
    }
    Sig0KeyPair pair = Ops.keyPair(key, "--key");
    if (!pair.publicKey().owner().equals(zone)) {
      throw CliException.usage("--key " + key + " belongs to " + pair.publicKey().owner()
          + ", not " + zone);
    }
    InMemorySig0KeyStore keys = InMemorySig0KeyStore.create();
    keys.store(pair, Sig0KeyState.ACTIVE);
    DelegationAgent agent = Ops.agent(session, keys);
    DelegationAgent.Located loc = Ops.await(agent.locate(zone));
    UpdateTarget target = loc.target();
    if (target == null) {
      AgentResult failure = Objects.requireNonNull(loc.failure());
      Ops.Described d = Ops.describe(failure);
      out.result(d.text(), out.object().put("child", zone.toString())
          .put("result", Ops.kind(failure)).put("detail", d.text()));
      return d.exit();
    }
    KeyStateInquiryClient client = KeyStateInquiryClient.builder(session.transport(),
            Ops.delayer(session))
        .codepoints(CODEPOINTS)
        .verifierConfig(Ops.sig0(session))
        .signer(Sig0Signer.create(Ops.sig0(session)))
        .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))
        .maxTries(tries)
        .build();
    InquiryResult r = Ops.await(client.inquire(pair, target.inquiryTarget()));
    int tag = pair.publicKey().keyTag();
    ObjectNode node = out.object().put("child", zone.toString()).put("keyTag", tag)
        .put("receiver", target.receiver().toString()).put("result", Ops.kind(r));
    if (r instanceof InquiryResult.Answered a) {
      String code = a.code(CODEPOINTS.keyStateTable()).map(KeyStateCode::name)
          .orElse("code " + a.option().keyState());
      node.put("state", code).put("keyState", a.option().keyState())
          .put("extraText", a.option().extraText()).put("from", a.from().toString());
      String extra = a.option().extraText();
      // the EXTRA-TEXT often repeats the code's name: say it only when it adds something
      boolean repeats = extra.isEmpty() || extra.replace("KEY_", "")
          .equalsIgnoreCase(code.replace("KEY_", ""));
      out.result("key " + tag + " of " + zone + " at " + target.receiver() + ": " + code
          + (repeats ? "" : " \"" + extra + "\"")
          + " (signed answer from " + a.from() + ")", node);
      return ExitCode.OK;
    }
    String detail;
    ExitCode exit = ExitCode.NEGATIVE;
    if (r instanceof InquiryResult.NoKeyState n) {
      detail = "answered " + Ops.rcode(n.rcode()) + " without a KeyState option (" + n.from()
          + ")";
    } else if (r instanceof InquiryResult.Unauthenticated u) {
      detail = "answer from " + u.from() + " not signed by the receiver's key (ignored)";
    } else if (r instanceof InquiryResult.Rejected j) {
      detail = "rejected: " + String.join("; ", j.problems());
    } else if (r instanceof InquiryResult.Unreachable u) {
      detail = "receiver unreachable: " + String.join("; ", u.problems());
      exit = ExitCode.NETWORK;
    } else {
      detail = "no SECURE KEY for the receiver " + ((InquiryResult.NoReceiverKey) r).receiver();
      exit = ExitCode.VALIDATION;
    }
    node.put("detail", detail);
    out.result("key " + tag + " of " + zone + ": " + detail, node);
    return exit;
  }
}
