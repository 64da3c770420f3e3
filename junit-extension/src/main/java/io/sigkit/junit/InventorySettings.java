package io.sigkit.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.inventory.Inventory;
import io.sigkit.junit.SettingsResolver.Found;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The settings one target of an inventory gives (its own, else the defaults'), as the extension's settings: the last
 * source a {@link SettingsResolver} consults before the defaults, so that the extension's own settings replace them
 * for every target, as {@code sigkit certify}'s flags do. File names are resolved against the inventory's directory.
 */
final class InventorySettings implements Function<Setting, Optional<Found>> {

    /** inventory.v1 settings the extension has no equivalent of: certify such a target with {@code sigkit certify}. */
    static final Set<String> UNSUPPORTED = Set.of("passphraseFile", "passwordFile", "sshConfig", "jump",
            "linkDownCommand", "linkUpCommand");

    /** inventory.v1 settings that are not one setting of the extension but go to the run's options. */
    static final Set<String> RUN_OPTIONS = Set.of("uplink");

    /** Largest tasking parameters file read. */
    static final int MAX_TASKING_PARAMETERS_BYTES = 1024 * 1024;

    /** Each inventory.v1 setting the extension takes and the setting it is (host keys and tiers: several). */
    static final Map<String, Setting> SETTINGS = Map.ofEntries(
            Map.entry("target", Setting.TARGET),
            Map.entry("identity", Setting.IDENTITY),
            Map.entry("passphraseEnv", Setting.PASSPHRASE_ENV),
            Map.entry("agent", Setting.AGENT),
            Map.entry("passwordEnv", Setting.PASSWORD_ENV),
            Map.entry("knownHosts", Setting.KNOWN_HOSTS),
            Map.entry("acceptNewHostKey", Setting.HOST_KEY_POLICY),
            Map.entry("insecureIgnoreHostKey", Setting.HOST_KEY_POLICY),
            Map.entry("connectTimeout", Setting.CONNECT_TIMEOUT_SECONDS),
            Map.entry("taskingUser", Setting.TASKING_USER),
            Map.entry("taskingParameters", Setting.TASKING_PARAMETERS),
            Map.entry("repetitions", Setting.REPETITIONS),
            Map.entry("windowSeconds", Setting.WINDOW_SECONDS),
            Map.entry("include", Setting.INCLUDE),
            Map.entry("exclude", Setting.EXCLUDE),
            Map.entry("strict", Setting.STRICT),
            Map.entry("tiers", Setting.ALLOW_CLOCK_SET),
            Map.entry("probes", Setting.PROBES),
            Map.entry("waivers", Setting.WAIVERS),
            Map.entry("profile", Setting.PROFILE));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<Setting, Found> values;
    private final List<Path> uplinks;

    private InventorySettings(Map<Setting, Found> values, List<Path> uplinks) {
        this.values = values;
        this.uplinks = List.copyOf(uplinks);
    }

    /**
     * The settings of {@code target}.
     *
     * @throws ExtensionConfigurationException naming the inventory, the setting's JSON pointer and the target when a
     *         setting has no equivalent here or its file cannot be read
     */
    static InventorySettings of(Inventory inventory, Inventory.Target target) {
        Map<Setting, Found> values = new EnumMap<>(Setting.class);
        List<Path> uplinks = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : target.settings().entrySet()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            String source = "inventory " + inventory.file() + " " + target.pointerOf(name);
            if (UNSUPPORTED.contains(name)) {
                throw new ExtensionConfigurationException("sigkit: " + target.pointerOf(name) + ": '" + name
                        + "' is not a setting of the JUnit extension; certify this target with sigkit certify --inventory");
            }
            switch (name) {
                case "uplink" -> texts(v).forEach(f -> uplinks.add(Path.of(inventory.resolve(f))));
                case "identity", "probes" -> put(values, SETTINGS.get(name),
                        texts(v).stream().map(inventory::resolve).collect(Collectors.joining(",")), source);
                case "knownHosts", "waivers" -> put(values, SETTINGS.get(name), inventory.resolve(v.asText()), source);
                case "acceptNewHostKey" -> {
                    if (v.booleanValue() && !values.containsKey(Setting.HOST_KEY_POLICY)) {
                        put(values, Setting.HOST_KEY_POLICY, "accept-new", source);
                    }
                }
                case "insecureIgnoreHostKey" -> {
                    if (v.booleanValue()) {
                        put(values, Setting.HOST_KEY_POLICY, "ignore", source);
                    }
                }
                case "tiers" -> {
                    List<String> tiers = texts(v);
                    if (tiers.contains("reversible")) {
                        put(values, Setting.ALLOW_CLOCK_SET, "true", source);
                    }
                    if (tiers.contains("destructive")) {
                        put(values, Setting.ALLOW_DESTRUCTIVE, "true", source);
                    }
                }
                case "taskingParameters" -> put(values, Setting.TASKING_PARAMETERS,
                        taskingParameters(Path.of(inventory.resolve(v.asText())), target.pointerOf(name)), source);
                case "include", "exclude" -> put(values, SETTINGS.get(name), String.join(",", texts(v)), source);
                case "connectTimeout", "repetitions", "windowSeconds" ->
                        put(values, SETTINGS.get(name), v.decimalValue().toPlainString(), source);
                default -> {
                    Setting setting = SETTINGS.get(name);
                    if (setting == null) {
                        throw new IllegalStateException("inventory.v1 allows '" + name
                                + "' but the JUnit extension does not know it");
                    }
                    put(values, setting, v.asText(), source);
                }
            }
        }
        return new InventorySettings(values, uplinks);
    }

    @Override
    public Optional<Found> apply(Setting setting) {
        return Optional.ofNullable(values.get(setting));
    }

    /** The files to uplink for SIG-CONF-003 ({@code uplink}), resolved; empty when the inventory gives none. */
    List<Path> uplinks() {
        return uplinks;
    }

    private static void put(Map<Setting, Found> values, Setting setting, String value, String source) {
        values.put(setting, new Found(setting, value, source));
    }

    /** One text or a list of them, as inventory.v1's {@code files} and {@code selectors} are. */
    private static List<String> texts(JsonNode v) {
        if (!v.isArray()) {
            return List.of(v.asText());
        }
        return StreamSupport.stream(v.spliterator(), false).map(JsonNode::asText).toList();
    }

    /**
     * The tasking parameters file's JSON object, compact, for {@link Setting#TASKING_PARAMETERS}; {@code source} is
     * the setting's JSON pointer.
     */
    private static String taskingParameters(Path file, String source) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_TASKING_PARAMETERS_BYTES + 1);
        } catch (IOException e) {
            throw new ExtensionConfigurationException("sigkit: " + source + ": cannot read the tasking parameters file "
                    + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        if (bytes.length > MAX_TASKING_PARAMETERS_BYTES) {
            throw new ExtensionConfigurationException("sigkit: " + source + ": the tasking parameters file " + file
                    + " is larger than " + MAX_TASKING_PARAMETERS_BYTES + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ExtensionConfigurationException("sigkit: " + source + ": the tasking parameters file " + file
                        + " must hold one JSON object ({...})");
            }
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new ExtensionConfigurationException("sigkit: " + source + ": the tasking parameters file " + file
                    + " is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        } catch (IOException e) {
            throw new ExtensionConfigurationException("sigkit: " + source + ": cannot read the tasking parameters file "
                    + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
