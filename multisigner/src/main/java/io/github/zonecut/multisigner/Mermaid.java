package io.github.zonecut.multisigner;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders plans as Mermaid flowcharts for operators: which signer gets which change, why, which
 * draft step it is, and the observation that will prove it done.
 */
public final class Mermaid {

  private Mermaid() {}

  /**
   * One plan as a flowchart: the steps grouped by signer, each with its reason and draft step,
   * pointing at its post-condition; or the single wait, done or refusal node.
   */
  public static String plan(Plan plan) {
    StringBuilder out = new StringBuilder("flowchart TD\n");
    renderRound(out, plan, "p", null);
    return out.toString();
  }

  /**
   * A sequence of plans (one per round of plan, execute, observe) as one flowchart, rounds in
   * order: what a controller did for a zone from start to done.
   */
  public static String history(List<Plan> plans) {
    StringBuilder out = new StringBuilder("flowchart TD\n");
    String previous = null;
    for (int i = 0; i < plans.size(); i++) {
      previous = renderRound(out, plans.get(i), "r" + i, previous);
    }
    return out.toString();
  }

  /** Renders one round; returns the id of the node later rounds attach to. */
  private static String renderRound(StringBuilder out, Plan plan, String id, @org.jspecify.annotations.Nullable String after) {
    String head = id;
    if (plan instanceof Plan.Act act) {
      out.append("  ").append(head).append("([\"execute ").append(act.steps().size())
          .append(act.steps().size() == 1 ? " step" : " steps").append("\"])\n");
      link(out, after, head);
      Map<String, Integer> perSigner = new TreeMap<>();
      String join = id + "_done";
      int n = 0;
      for (PlannedStep s : act.steps()) {
        String node = id + "_s" + n++;
        perSigner.merge(s.step().signer().label(), 1, Integer::sum);
        StringBuilder label = new StringBuilder()
            .append("<b>").append(esc(s.step().signer().label())).append("</b>: ")
            .append(esc(describe(s.step())));
        if (!s.draftStep().isEmpty()) {
          label.append("<br/><i>").append(esc(s.draftStep())).append("</i>");
        }
        label.append("<br/>").append(esc(s.reason()));
        out.append("  ").append(node).append("[\"").append(label).append("\"]\n");
        out.append("  ").append(head).append(" --> ").append(node).append('\n');
        out.append("  ").append(node).append(" -- \"").append(esc(s.postcondition().describe()))
            .append("\" --> ").append(join).append('\n');
      }
      out.append("  ").append(join).append("((\"observe\"))\n");
      return join;
    }
    String label;
    String open = "{{\"";
    String close = "\"}}";
    if (plan instanceof Plan.WaitUntil w) {
      label = "wait " + w.kind() + " until " + w.until() + "<br/>" + esc(w.reason());
    } else if (plan instanceof Plan.AwaitChange a) {
      label = "await: " + esc(a.awaited().describe()) + "<br/>deadline " + a.deadline();
    } else if (plan instanceof Plan.Done d) {
      label = "done: " + esc(d.summary());
      open = "([\"";
      close = "\"])";
    } else {
      Plan.Refused r = (Plan.Refused) plan;
      label = "refused: " + esc(r.refusal().message());
      open = "[/\"";
      close = "\"/]";
    }
    out.append("  ").append(head).append(open).append(label).append(close).append('\n');
    link(out, after, head);
    return head;
  }

  private static void link(StringBuilder out, @org.jspecify.annotations.Nullable String from, String to) {
    if (from != null) {
      out.append("  ").append(from).append(" --> ").append(to).append('\n');
    }
  }

  private static String describe(Step step) {
    if (step instanceof Step.AddDnskeys a) {
      return "add DNSKEY " + a.keys();
    } else if (step instanceof Step.RemoveDnskeys r) {
      return "remove DNSKEY " + r.keys();
    } else if (step instanceof Step.GenerateKey g) {
      return "generate " + g.role() + " algorithm " + g.algorithm();
    } else if (step instanceof Step.SetSigning s) {
      return "sign data with " + s.signing().zoneKeys() + ", DNSKEY with " + s.signing().dnskeyKeys();
    } else if (step instanceof Step.SetCds c) {
      return c.removes() ? "remove CDS/CDNSKEY" : "publish CDS " + c.cds().size() + ", CDNSKEY " + c.cdnskey();
    } else if (step instanceof Step.SetNs n) {
      return "set NS " + n.ns();
    } else if (step instanceof Step.SetCsync c) {
      return c.present() ? "publish CSYNC (NS A AAAA)" : "remove CSYNC";
    } else if (step instanceof Step.StopServing) {
      return "stop serving the zone";
    } else {
      return "delete key " + ((Step.DeleteKey) step).key();
    }
  }

  /** Escapes text for a quoted Mermaid label (entity codes, as Mermaid documents). */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("#quot;");
        case '<' -> b.append("#lt;");
        case '>' -> b.append("#gt;");
        case '#' -> b.append("#35;");
        case '\n', '\r' -> b.append(' ');
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
