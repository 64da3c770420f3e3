package io.sigkit.inventory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationError;
import io.sigkit.schemas.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A fleet inventory: a JSON or YAML file valid against {@code inventory.v1}, read into one {@link Target} per payload
 * with its settings (the defaults', replaced by its own). Reading is the same for {@code sigkit certify --inventory}
 * and for the JUnit extension's fleet mode; what a setting means is theirs (a certify flag, a JUnit setting).
 */
public final class Inventory {

    /** Largest inventory read: a thousand targets fit in far less. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    /**
     * A target's name: 1 to 64 of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit (a plain directory name,
     * as inventory.v1 says too).
     */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The files of a fleet's summary next to the targets' report directories (reports' {@code FleetReports}). */
    public static final Set<String> SUMMARY_FILES = Set.of("fleet.json", "junit.xml", "index.html");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One payload of the inventory.
     *
     * @param name its name (a plain directory name, unique in the inventory ignoring case)
     * @param login the SSH login the inventory gives ({@code target})
     * @param pointer where it is in the inventory, e.g. {@code /targets/2}
     * @param settings its settings by inventory.v1 name, {@code target} included and {@code name} not: the defaults'
     *                 in their order, each replaced by the target's own, then the target's others in its order
     * @param own the names of the settings the target gives itself (the others come from {@code defaults})
     */
    public record Target(String name, String login, String pointer, Map<String, JsonNode> settings, Set<String> own) {
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(pointer, "pointer");
            Map<String, JsonNode> copy = new LinkedHashMap<>();
            settings.forEach((k, v) -> copy.put(k, v.deepCopy()));
            settings = Collections.unmodifiableMap(copy);
            own = Collections.unmodifiableSet(new LinkedHashSet<>(own));
        }

        /** The JSON pointer of a setting of this target: in the target, or in {@code /defaults}. */
        public String pointerOf(String setting) {
            return (own.contains(setting) ? pointer : "/defaults") + "/" + setting;
        }
    }

    private final Path file;
    private final List<Target> targets;

    private Inventory(Path file, List<Target> targets) {
        this.file = file;
        this.targets = List.copyOf(targets);
    }

    /** The file as it was named. */
    public Path file() {
        return file;
    }

    /** The targets, in the inventory's order. */
    public List<Target> targets() {
        return targets;
    }

    /**
     * A file name of the inventory: relative to the inventory's directory; {@code ~} and {@code ~/} are the user's
     * home, as a shell has them.
     */
    public String resolve(String name) {
        if (name.equals("~") || name.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(name.length() > 2 ? name.substring(2) : "")
                    .toString();
        }
        return file.toAbsolutePath().getParent().resolve(name).toString();
    }

    /**
     * Reads and validates an inventory: inventory.v1, then the targets' names (no summary file's name, unique
     * ignoring case).
     *
     * @throws InventoryException naming the file and the JSON pointer (or line and column) of the first mistake
     */
    public static Inventory load(Path file) {
        byte[] bytes = readBytes(file);
        if (bytes.length > MAX_BYTES) {
            throw new InventoryException("inventory " + file + " is " + bytes.length + " bytes; at most " + MAX_BYTES
                    + " are read");
        }
        JsonNode root;
        ValidationReport report;
        SchemaValidator validator = SchemaValidator.of(SchemaId.INVENTORY_V1);
        if (isYaml(file, bytes)) {
            root = yaml(file, bytes);
            report = validator.validate(root, file.toString());
        } else {
            report = validator.validateText(new String(bytes, StandardCharsets.UTF_8), file.toString());
            root = report.valid() ? json(file, bytes) : null;
        }
        if (!report.valid()) {
            ValidationError first = report.errors().get(0);
            String more = report.errors().size() > 1 ? " (and " + (report.errors().size() - 1) + " more)" : "";
            throw new InventoryException("invalid inventory " + first + more);
        }
        JsonNode defaults = root.path("defaults");
        List<Target> targets = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        JsonNode list = root.get("targets");
        for (int i = 0; i < list.size(); i++) {
            JsonNode t = list.get(i);
            String pointer = "/targets/" + i;
            String name = t.get("name").asText();
            String lower = name.toLowerCase(Locale.ROOT);
            if (SUMMARY_FILES.contains(lower)) {
                throw new InventoryException("invalid inventory " + file + " " + pointer + "/name: '" + name
                        + "' is the name of a fleet summary file; choose another name");
            }
            if (!NAME.matcher(name).matches()) { // the schema says so too: this guards the report path
                throw new InventoryException("invalid inventory " + file + " " + pointer
                        + "/name: not a plain directory name");
            }
            String earlier = seen.putIfAbsent(lower, pointer);
            if (earlier != null) {
                throw new InventoryException("invalid inventory " + file + " " + pointer + "/name: '" + name
                        + "' is already the name of " + earlier + " (names are report directories: unique, ignoring case)");
            }
            Map<String, JsonNode> merged = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : defaults.properties()) {
                merged.put(e.getKey(), e.getValue());
            }
            Set<String> own = new LinkedHashSet<>();
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                if (!e.getKey().equals("name")) {
                    merged.put(e.getKey(), e.getValue());
                    own.add(e.getKey());
                }
            }
            targets.add(new Target(name, t.get("target").asText(), pointer, merged, own));
        }
        return new Inventory(file, targets);
    }

    private static byte[] readBytes(Path file) {
        if (!Files.exists(file)) {
            throw new InventoryException("cannot read inventory " + file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new InventoryException("cannot read inventory " + file + ": it is a directory");
        }
        if (!Files.isReadable(file)) {
            throw new InventoryException("cannot read inventory " + file + ": permission denied");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InventoryException("cannot read inventory " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new InventoryException("cannot read inventory " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new InventoryException("cannot read inventory " + file + ": " + summary(e), e);
        }
    }

    private static boolean isYaml(Path file, byte[] bytes) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".yaml") || n.endsWith(".yml")) {
            return true;
        }
        if (n.endsWith(".json")) {
            return false;
        }
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b != '{';
            }
        }
        return false;
    }

    private static JsonNode yaml(Path file, byte[] bytes) {
        YAMLMapper mapper = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        try (JsonParser parser = mapper.createParser(bytes)) {
            JsonNode node = mapper.readTree(parser);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new InventoryException("invalid inventory " + file + ": it is empty; expected {targets: [...]}");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? file.toString() : file + ":" + at.getLineNr() + ":"
                    + Math.max(1, at.getColumnNr());
            throw new InventoryException("invalid inventory " + where + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InventoryException("cannot read inventory " + file + ": " + summary(e), e);
        }
    }

    /** The JSON of an inventory that validated (so it parses). */
    private static JsonNode json(Path file, byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InventoryException("cannot read inventory " + file + ": " + summary(e), e);
        }
    }

    private static String summary(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage();
        String type = r.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m.replaceAll("\\s*(?:\\r?\\n)+\\s*", "; ").strip();
    }
}
