package io.sigkit.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sigkit.reports.FleetReports;
import io.sigkit.reports.FleetSummary;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationError;
import io.sigkit.schemas.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The inventory of {@code certify --inventory FILE}: a JSON or YAML file valid against {@code inventory.v1}, read into
 * one {@link Target} per payload with its settings (the defaults', replaced by its own) turned into the certify flags
 * they name, so that every value goes through exactly the checks the flags go through.
 */
final class Inventory {

    /** Largest inventory read: a thousand targets fit in far less. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    /** How a setting becomes flags. */
    private enum Kind { TEXT, FILE, FILES, FLAG, NUMBER, SELECTORS, TIERS }

    /** Each setting of inventory.v1 and its flag (tiers: the tier's flag). */
    private record Setting(String flag, Kind kind) {
    }

    private static final Map<String, Setting> SETTINGS = settings();

    /** The tiers' names in the report, and the flags that enable them. */
    static final Map<String, String> TIER_FLAGS = Map.of("reversible", "--allow-clock-set",
            "destructive", "--allow-destructive");

    /**
     * One payload of the inventory.
     *
     * @param name its name (a plain directory name)
     * @param login the SSH login the inventory gives
     * @param pointer where it is in the inventory, e.g. {@code /targets/2}
     * @param arguments its settings as certify flags, file names resolved against the inventory's directory
     */
    record Target(String name, String login, String pointer, List<String> arguments) {
        Target {
            arguments = List.copyOf(arguments);
        }
    }

    private final Path file;
    private final List<Target> targets;

    private Inventory(Path file, List<Target> targets) {
        this.file = file;
        this.targets = List.copyOf(targets);
    }

    Path file() {
        return file;
    }

    List<Target> targets() {
        return targets;
    }

    /**
     * Reads and validates an inventory; {@code givenFlags} are the certify flags given on the command line, which
     * replace the inventory's settings of the same flag.
     *
     * @throws CliError (usage) naming the file and the JSON pointer of the first mistake
     */
    static Inventory load(Path file, Set<String> givenFlags) {
        byte[] bytes = Inputs.readBytes(file, "inventory");
        if (bytes.length > MAX_BYTES) {
            throw CliError.usage("inventory " + file + " is " + bytes.length + " bytes; at most " + MAX_BYTES + " are read");
        }
        JsonNode root;
        ValidationReport report;
        SchemaValidator validator = SchemaValidator.of(SchemaId.INVENTORY_V1);
        if (isYaml(file, bytes)) {
            root = yaml(file, bytes);
            report = validator.validate(root, file.toString());
        } else {
            report = validator.validateText(new String(bytes, StandardCharsets.UTF_8), file.toString());
            root = report.valid() ? Inputs.jsonObject(file, "inventory") : null;
        }
        if (!report.valid()) {
            ValidationError first = report.errors().get(0);
            String more = report.errors().size() > 1 ? " (and " + (report.errors().size() - 1) + " more)" : "";
            throw CliError.usage("invalid inventory " + first + more);
        }
        JsonNode defaults = root.path("defaults");
        Path base = file.toAbsolutePath().getParent();
        List<Target> targets = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        JsonNode list = root.get("targets");
        for (int i = 0; i < list.size(); i++) {
            JsonNode t = list.get(i);
            String pointer = "/targets/" + i;
            String name = t.get("name").asText();
            String lower = name.toLowerCase(Locale.ROOT);
            if (Set.of(FleetReports.JSON, FleetReports.JUNIT_XML, FleetReports.HTML).contains(lower)) {
                throw CliError.usage("invalid inventory " + file + " " + pointer + "/name: '" + name
                        + "' is the name of a fleet summary file; choose another name");
            }
            if (!FleetSummary.NAME.matcher(name).matches()) { // the schema says so too: this guards the report path
                throw CliError.usage("invalid inventory " + file + " " + pointer + "/name: not a plain directory name");
            }
            String earlier = seen.putIfAbsent(lower, pointer);
            if (earlier != null) {
                throw CliError.usage("invalid inventory " + file + " " + pointer + "/name: '" + name
                        + "' is already the name of " + earlier + " (names are report directories: unique, ignoring case)");
            }
            Map<String, JsonNode> merged = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : defaults.properties()) {
                merged.put(e.getKey(), e.getValue());
            }
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                if (!e.getKey().equals("name")) {
                    merged.put(e.getKey(), e.getValue());
                }
            }
            targets.add(new Target(name, t.get("target").asText(), pointer, arguments(merged, base, givenFlags)));
        }
        return new Inventory(file, targets);
    }

    /** The flags of a target's settings, leaving out those given on the command line. */
    private static List<String> arguments(Map<String, JsonNode> settings, Path base, Set<String> givenFlags) {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : settings.entrySet()) {
            Setting s = SETTINGS.get(e.getKey());
            if (s == null) {
                throw new IllegalStateException("inventory.v1 allows '" + e.getKey() + "' but the kit has no flag for it");
            }
            JsonNode v = e.getValue();
            if (s.kind() == Kind.TIERS) {
                for (JsonNode tier : v) {
                    String flag = TIER_FLAGS.get(tier.asText());
                    if (flag != null && !givenFlags.contains(flag)) {
                        args.add(flag);
                    }
                }
                continue;
            }
            if (givenFlags.contains(s.flag())) {
                continue;
            }
            switch (s.kind()) {
                case FLAG -> {
                    if (v.booleanValue()) {
                        args.add(s.flag());
                    }
                }
                case TEXT -> args.add(s.flag() + "=" + v.asText());
                case NUMBER -> args.add(s.flag() + "=" + v.decimalValue().toPlainString());
                case FILE -> args.add(s.flag() + "=" + resolve(base, v.asText()));
                case FILES -> {
                    for (JsonNode f : v.isArray() ? v : List.of(v)) {
                        args.add(s.flag() + "=" + resolve(base, f.asText()));
                    }
                }
                case SELECTORS -> {
                    for (JsonNode f : v.isArray() ? v : List.of(v)) {
                        args.add(s.flag() + "=" + f.asText());
                    }
                }
                default -> throw new IllegalStateException("kind " + s.kind());
            }
        }
        return args;
    }

    /** A file name of the inventory: relative to its directory; {@code ~/} is the user's home, as a shell has it. */
    static String resolve(Path base, String name) {
        if (name.equals("~") || name.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(name.length() > 2 ? name.substring(2) : "").toString();
        }
        return base.resolve(name).toString();
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
                throw CliError.usage("invalid inventory " + file + ": it is empty; expected {targets: [...]}");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? file.toString() : file + ":" + at.getLineNr() + ":"
                    + Math.max(1, at.getColumnNr());
            throw CliError.usage("invalid inventory " + where + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw CliError.usage("cannot read inventory " + file + ": " + ExitCodes.summary(e));
        }
    }

    private static Map<String, Setting> settings() {
        Map<String, Setting> m = new LinkedHashMap<>();
        m.put("target", new Setting("--target", Kind.TEXT));
        m.put("identity", new Setting("--identity", Kind.FILES));
        m.put("passphraseEnv", new Setting("--passphrase-env", Kind.TEXT));
        m.put("passphraseFile", new Setting("--passphrase-file", Kind.FILE));
        m.put("agent", new Setting("--agent", Kind.FLAG));
        m.put("passwordEnv", new Setting("--password-env", Kind.TEXT));
        m.put("passwordFile", new Setting("--password-file", Kind.FILE));
        m.put("knownHosts", new Setting("--known-hosts", Kind.FILE));
        m.put("acceptNewHostKey", new Setting("--accept-new-host-key", Kind.FLAG));
        m.put("insecureIgnoreHostKey", new Setting("--insecure-ignore-host-key", Kind.FLAG));
        m.put("sshConfig", new Setting("--ssh-config", Kind.FILE));
        m.put("jump", new Setting("--jump", Kind.TEXT));
        m.put("connectTimeout", new Setting("--connect-timeout", Kind.NUMBER));
        m.put("taskingUser", new Setting("--tasking-user", Kind.TEXT));
        m.put("taskingParameters", new Setting("--tasking-parameters", Kind.FILE));
        m.put("uplink", new Setting("--uplink", Kind.FILES));
        m.put("repetitions", new Setting("--repeat", Kind.NUMBER));
        m.put("windowSeconds", new Setting("--window-seconds", Kind.NUMBER));
        m.put("include", new Setting("--include", Kind.SELECTORS));
        m.put("exclude", new Setting("--exclude", Kind.SELECTORS));
        m.put("strict", new Setting("--strict", Kind.FLAG));
        m.put("tiers", new Setting(null, Kind.TIERS));
        m.put("linkDownCommand", new Setting("--link-down-command", Kind.TEXT));
        m.put("linkUpCommand", new Setting("--link-up-command", Kind.TEXT));
        m.put("probes", new Setting("--probes", Kind.FILES));
        m.put("waivers", new Setting("--waivers", Kind.FILE));
        m.put("profile", new Setting("--profile", Kind.TEXT));
        return m;
    }

    /** The settings the kit knows, by inventory name (for the test that every schema property has one). */
    static Set<String> settingNames() {
        return SETTINGS.keySet();
    }
}
