package io.sigkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.catalog.Tier;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sigkit list}: the requirements the kit certifies, from the catalog. */
@Command(name = "list", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        header = "Lists the requirements the kit certifies (the requirement catalog).",
        description = {"", "IDs and tags listed here are what --include and --exclude of 'sigkit certify' take.", ""})
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text for people, json for tools (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = RequirementCatalog.DEFAULT_PROFILE,
            description = "Catalog profile: default (the Signaling API), or delivery (adds SIG-DLV), as in 'sigkit"
                    + " certify --profile' (default: ${DEFAULT-VALUE}).")
    String profile;

    @Override
    public Integer call() throws JsonProcessingException {
        RequirementCatalog catalog = RequirementCatalog.load();
        try {
            catalog.requireProfile(profile);
        } catch (IllegalArgumentException e) {
            throw CliError.usage("--profile: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.JSON) {
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(json(catalog, profile)));
        } else {
            text(catalog, profile, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void text(RequirementCatalog catalog, String profile, PrintWriter out) {
        out.printf("Payload Signaling API %s, catalog %s: %d requirements%s%n%n", catalog.specVersion(), catalog.version(),
                catalog.requirements(profile).size(),
                profile.equals(RequirementCatalog.DEFAULT_PROFILE) ? "" : " (profile " + profile + ")");
        out.printf("%-14s %-12s %-15s %-34s %s%n", "ID", "LEVEL", "TIER", "TAGS", "TITLE");
        for (Requirement r : catalog.requirements(profile)) {
            out.printf("%-14s %-12s %-15s %-34s %s%n", r.id(), r.level(), r.tier().jsonName(), String.join(",", r.tags()),
                    r.title());
        }
        out.println();
        out.println("Tiers: read-only and bus-equivalent always run; reversible needs "
                + catalog.enablingFlag(Tier.REVERSIBLE).orElse("-") + "; destructive needs "
                + catalog.enablingFlag(Tier.DESTRUCTIVE).orElse("-") + ".");
        out.println("Tags: " + String.join(", ", catalog.knownTags()) + ".");
    }

    static ObjectNode json(RequirementCatalog catalog) {
        return json(catalog, RequirementCatalog.DEFAULT_PROFILE);
    }

    static ObjectNode json(RequirementCatalog catalog, String profile) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("catalogVersion", catalog.version());
        root.put("specVersion", catalog.specVersion());
        if (!profile.equals(RequirementCatalog.DEFAULT_PROFILE)) {
            root.put("profile", profile);
        }
        ArrayNode list = root.putArray("requirements");
        for (Requirement r : catalog.requirements(profile)) {
            ObjectNode o = list.addObject();
            o.put("id", r.id());
            o.put("level", r.level().name());
            o.put("title", r.title());
            o.put("section", r.section());
            if (r.specWords() == null) {
                o.putNull("specWords");
            } else {
                o.put("specWords", r.specWords());
            }
            o.put("howChecked", r.howChecked());
            o.put("evidence", r.evidence());
            o.put("tier", r.tier().jsonName());
            catalog.enablingFlag(r.tier()).ifPresent(flag -> o.put("enabledBy", flag));
            r.tags().forEach(o.putArray("tags")::add);
            ArrayNode hints = o.putArray("hints");
            r.hints().forEach(hints::add);
        }
        return root;
    }
}
