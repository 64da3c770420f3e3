package io.sigkit.probe;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import java.util.Base64;
import java.util.Map;

/**
 * Writes {@link PayloadFacts} as a facts.v1 document (the typed facts a report records as evidence), and validates it.
 */
public final class FactsDocument {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FactsDocument() {
    }

    /** The whole facts.v1 document. */
    public static ObjectNode of(PayloadFacts f) {
        ObjectNode root = JSON.objectNode();
        root.put("version", 1);
        ObjectNode system = root.putObject("system");
        system.put("unameS", f.unameS()).put("unameSrm", f.unameSrm()).put("osPrettyName", f.osPrettyName());
        ObjectNode user = root.putObject("user");
        user.put("name", f.user());
        if (f.uid().isPresent()) {
            user.put("uid", f.uid().get());
        } else {
            user.putNull("uid");
        }
        ArrayNode groups = user.putArray("groups");
        for (String g : f.sections().first("groups").split("\\s+")) {
            if (!g.isEmpty()) {
                groups.add(g);
            }
        }
        user.put("loginShell", f.loginShell()).put("shellExecutable", f.shellExecutable()).put("tty", f.tty())
                .put("sshConnection", f.sshConnection());
        ArrayNode interfaces = root.putArray("interfaces");
        for (PayloadFacts.NetInterface i : f.interfaces()) {
            ObjectNode n = interfaces.addObject();
            n.put("name", i.name()).put("operState", i.operState()).put("flags", i.flags());
            i.addresses().forEach(n.putArray("addresses")::add);
        }
        ArrayNode paths = root.putArray("paths");
        f.paths().forEach(p -> paths.add(of(p)));
        String inbox = f.taskingUserInbox();
        root.put("taskingInbox", inbox.equals("present") || inbox.equals("absent") || inbox.equals("not-a-directory")
                ? inbox : "unknown");
        ObjectNode sudo = root.putObject("sudo");
        sudo.put("present", f.sudoPresent());
        if (f.sudoPresent()) {
            sudo.put("path", f.sudoPath());
        }
        sudo.set("list", output(f, "sudo-list"));
        sudo.set("runDate", output(f, "sudo-run-date"));
        ArrayNode answers = sudo.putArray("answers");
        f.sudoAnswers().forEach(a -> answers.add(of(a)));
        return root;
    }

    private static ObjectNode output(PayloadFacts f, String section) {
        ObjectNode n = JSON.objectNode();
        int exit = f.exitOf(section);
        if (exit >= 0) {
            n.put("exitStatus", exit);
        } else {
            n.putNull("exitStatus");
        }
        StringBuilder out = new StringBuilder();
        for (String line : f.sections().lines(section)) {
            if (!line.startsWith("exit=")) {
                out.append(line).append('\n');
            }
        }
        return n.put("output", out.toString().strip());
    }

    /** One path probe's facts.v1 record. */
    public static ObjectNode of(PathFacts p) {
        ObjectNode n = JSON.objectNode();
        n.put("id", p.id()).put("path", p.path()).put("exists", p.target() != null);
        if (p.entry() != null) {
            n.set("entry", of(p.entry()));
        }
        if (p.target() != null) {
            n.set("target", of(p.target()));
        }
        if (!p.statError().isEmpty()) {
            n.put("statError", p.statError());
        }
        if (!p.realPath().isEmpty()) {
            n.put("realPath", p.realPath());
        }
        n.putObject("access").put("read", p.access().read()).put("write", p.access().write())
                .put("execute", p.access().execute());
        if (!p.sha256().isEmpty()) {
            n.put("sha256", p.sha256());
        }
        if (p.shebang() != null) {
            ObjectNode s = n.putObject("shebang");
            s.put("head", Base64.getEncoder().encodeToString(p.shebang().head()))
                    .put("interpreter", p.shebang().interpreter());
            s.put("interpreterExecutable", switch (p.shebang().interpreterCheck()) {
                case YES -> "yes";
                case NONE -> "none";
                default -> "no";
            });
            if (p.shebang().envTarget() != null) {
                s.putObject("envTarget").put("name", p.shebang().envTarget().name())
                        .put("resolved", p.shebang().envTarget().resolved());
            }
        }
        if (p.mount() != null) {
            ObjectNode m = n.putObject("mount").put("options", p.mount().options());
            if (p.mount().freeKiB() >= 0) {
                m.put("freeKiB", p.mount().freeKiB());
            } else {
                m.putNull("freeKiB");
            }
        }
        if (p.createEntry() != null) {
            n.putObject("createEntry").put("result", p.createEntry().result().name().toLowerCase(java.util.Locale.ROOT))
                    .put("detail", p.createEntry().detail());
        }
        return n;
    }

    private static ObjectNode of(PathFacts.Stat s) {
        ObjectNode n = JSON.objectNode();
        n.put("type", s.type()).put("mode", s.modeOctal()).put("owner", s.owner()).put("group", s.group());
        if (s.size() >= 0) {
            n.put("size", s.size());
        }
        return n;
    }

    /** One sudo probe's facts.v1 record. */
    public static ObjectNode of(SudoAnswer a) {
        ObjectNode n = JSON.objectNode();
        n.put("id", a.id());
        a.command().forEach(n.putArray("command")::add);
        n.put("allowed", a.allowed());
        if (a.exitStatus() == null) {
            n.putNull("exitStatus");
        } else {
            n.put("exitStatus", a.exitStatus());
        }
        return n.put("output", a.output());
    }

    /** Validates a facts document against facts.v1. */
    public static ValidationReport validate(ObjectNode document) {
        return SchemaValidator.of(SchemaId.FACTS_V1).validate(document, "facts");
    }

    /** A record as evidence: plain maps, lists, strings, numbers and booleans. */
    public static Map<String, Object> evidence(ObjectNode record) {
        return MAPPER.convertValue(record, new TypeReference<Map<String, Object>>() { });
    }
}
