package io.sigkit.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The testbed's variants, broken, hostile and conformant, as listed in testbed/payloads/variants.json. */
public final class Variants {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Variants() {
    }

    /** Every variant, broken and hostile, in the file's order. */
    public static List<Variant> all() {
        return read(Testbed.home().resolve("payloads").resolve("variants.json"));
    }

    /** The variant called {@code name}; fails naming the known ones when there is none. */
    public static Variant named(String name) {
        List<Variant> all = all();
        return all.stream()
                .filter(variant -> variant.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown variant '" + name + "'; known variants: "
                        + all.stream().map(Variant::name).collect(Collectors.joining(", "))));
    }

    /** Reads a variants.json file; fails naming the file and the entry at fault. */
    static List<Variant> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new TestbedException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode entries = root == null ? null : root.get("variants");
        if (entries == null || !entries.isArray()) {
            throw new TestbedException(file + ": no \"variants\" array");
        }
        List<Variant> variants = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            try {
                List<String> upOptions = new ArrayList<>();
                JsonNode options = entry.get("upOptions");
                if (options != null && !options.isNull()) {
                    if (!options.isArray()) {
                        throw new IllegalArgumentException("upOptions is not an array");
                    }
                    options.forEach(option -> upOptions.add(textOf(option, "upOptions[]")));
                }
                JsonNode kindNode = entry.get("kind");
                String kind = kindNode == null || kindNode.isNull() ? "broken" : textOf(kindNode, "kind");
                Variant variant = switch (kind) {
                    case "broken" -> new Variant(field(entry, "name"), field(entry, "requirement"),
                            field(entry, "level"), field(entry, "description"), upOptions,
                            field(entry, "expectedOutcome"));
                    case "hostile" -> new Variant(field(entry, "name"), optional(entry, "requirement"),
                            optional(entry, "level"), field(entry, "description"), upOptions,
                            optional(entry, "expectedOutcome"), Variant.Kind.HOSTILE);
                    case "conformant" -> {
                        for (String absent : List.of("requirement", "level", "expectedOutcome")) {
                            if (entry.has(absent)) {
                                throw new IllegalArgumentException("a conformant variant has no '" + absent + "'");
                            }
                        }
                        yield new Variant(field(entry, "name"), null, null, field(entry, "description"), upOptions,
                                null, Variant.Kind.CONFORMANT);
                    }
                    default -> throw new IllegalArgumentException("kind '" + kind + "' is not broken, hostile or"
                            + " conformant");
                };
                if (!names.add(variant.name())) {
                    throw new IllegalArgumentException("variant " + variant.name() + " is listed twice");
                }
                variants.add(variant);
            } catch (IllegalArgumentException e) {
                throw new TestbedException(file + ": variants[" + i + "]: " + e.getMessage(), e);
            }
        }
        return List.copyOf(variants);
    }

    private static String field(JsonNode entry, String name) {
        return textOf(entry.get(name), name);
    }

    private static String optional(JsonNode entry, String name) {
        JsonNode node = entry.get(name);
        return node == null || node.isNull() ? null : textOf(node, name);
    }

    private static String textOf(JsonNode node, String name) {
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("'" + name + "' is missing or not a string");
        }
        return node.asText();
    }
}
