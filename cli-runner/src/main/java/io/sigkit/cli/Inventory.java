package io.sigkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigkit.inventory.InventoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inventory of {@code certify --inventory FILE}: a JSON or YAML file valid against {@code inventory.v1}, read by
 * {@link io.sigkit.inventory.Inventory} into one {@link Target} per payload with its settings (the defaults', replaced
 * by its own) turned into the certify flags they name, so that every value goes through exactly the checks the flags
 * go through.
 */
final class Inventory {

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
     * Reads and validates an inventory (see {@link io.sigkit.inventory.Inventory#load}); {@code givenFlags} are the
     * certify flags given on the command line, which replace the inventory's settings of the same flag.
     *
     * @throws CliError (usage) naming the file and the JSON pointer of the first mistake
     */
    static Inventory load(Path file, Set<String> givenFlags) {
        io.sigkit.inventory.Inventory read;
        try {
            read = io.sigkit.inventory.Inventory.load(file);
        } catch (InventoryException e) {
            throw CliError.usage(e.getMessage());
        }
        List<Target> targets = new ArrayList<>();
        for (io.sigkit.inventory.Inventory.Target t : read.targets()) {
            targets.add(new Target(t.name(), t.login(), t.pointer(), arguments(t.settings(), read, givenFlags)));
        }
        return new Inventory(file, targets);
    }

    /** The flags of a target's settings, leaving out those given on the command line. */
    private static List<String> arguments(Map<String, JsonNode> settings, io.sigkit.inventory.Inventory read,
                                          Set<String> givenFlags) {
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
                case FILE -> args.add(s.flag() + "=" + read.resolve(v.asText()));
                case FILES -> {
                    for (JsonNode f : v.isArray() ? v : List.of(v)) {
                        args.add(s.flag() + "=" + read.resolve(f.asText()));
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
