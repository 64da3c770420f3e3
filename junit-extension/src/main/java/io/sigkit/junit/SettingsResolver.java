package io.sigkit.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.probe.ProbeDocument;
import io.sigkit.schemas.PayloadExecCommands;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.HostKeyPolicy;
import io.sigkit.transport.SshTarget;
import io.sigkit.waiver.WaiverFileException;
import io.sigkit.waiver.Waivers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Resolves the settings of a {@link SignalingConformance} class from, in this order, the annotation, the JUnit
 * configuration parameters (launcher, system properties, junit-platform.properties, as JUnit orders them), the
 * environment and the defaults; every missing or malformed setting is an {@link ExtensionConfigurationException}
 * naming the setting, the value and where it came from.
 */
final class SettingsResolver {

    /** A value and where it came from. */
    record Found(Setting setting, String value, String source) {
        String describe() {
            return setting.key() + " = '" + value + "' (from " + source + ")";
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_SECONDS = 24 * 3600;

    private final Optional<SignalingConformance> annotation;
    private final String annotatedClass;
    private final Function<String, Optional<String>> parameters;
    private final Function<String, String> environment;
    private final Path home;
    private final Function<Setting, Optional<Found>> inventory;

    /**
     * @param annotation the class's annotation, if any
     * @param annotatedClass the class it is on, for messages
     * @param parameters JUnit configuration parameters by key
     * @param environment environment variables by name (null when unset)
     * @param home the user's home directory, for {@code ~/} and the default known_hosts
     */
    SettingsResolver(Optional<SignalingConformance> annotation, String annotatedClass,
                     Function<String, Optional<String>> parameters, Function<String, String> environment, Path home) {
        this(annotation, annotatedClass, parameters, environment, home, null);
    }

    /**
     * The settings of one target of a fleet: as {@link #SettingsResolver(Optional, String, Function, Function, Path)},
     * then {@code inventory} (the target's settings in the inventory) before the defaults; the target itself comes
     * only from the inventory.
     */
    SettingsResolver(Optional<SignalingConformance> annotation, String annotatedClass,
                     Function<String, Optional<String>> parameters, Function<String, String> environment, Path home,
                     Function<Setting, Optional<Found>> inventory) {
        this.annotation = annotation;
        this.annotatedClass = annotatedClass;
        this.parameters = parameters;
        this.environment = environment;
        this.home = home;
        this.inventory = inventory;
    }

    /**
     * The first source that sets the setting to a non-blank value (for a fleet's target, the inventory after the
     * environment; its target only from the inventory).
     */
    Optional<Found> find(Setting setting) {
        if (inventory != null && setting == Setting.TARGET) {
            return inventory.apply(setting);
        }
        if (annotation.isPresent()) {
            Optional<String> v = setting.from(annotation.get());
            if (v.isPresent()) {
                return Optional.of(new Found(setting, v.get().strip(),
                        "@SignalingConformance(" + setting.attribute() + ") on " + annotatedClass));
            }
        }
        Optional<String> p = parameters.apply(setting.key()).filter(s -> !s.isBlank());
        if (p.isPresent()) {
            return Optional.of(new Found(setting, p.get().strip(),
                    "configuration parameter or system property " + setting.key()));
        }
        String e = environment.apply(setting.environmentVariable());
        if (e != null && !e.isBlank()) {
            return Optional.of(new Found(setting, e.strip(), "environment variable " + setting.environmentVariable()));
        }
        return inventory == null ? Optional.empty() : inventory.apply(setting);
    }

    /**
     * The inventory file of a fleet class ({@code sigkit.inventory}), and where it was set.
     *
     * @throws ExtensionConfigurationException when it is not set
     */
    Found inventoryFile() {
        Found found = find(Setting.INVENTORY).orElseThrow(() -> new ExtensionConfigurationException(
                "sigkit: no inventory of payloads to certify: set " + Setting.INVENTORY.key()
                        + " to an inventory file (inventory.v1, JSON or YAML) with " + Setting.INVENTORY.howToSet()));
        return new Found(found.setting(), path(found.value()).toString(), found.source());
    }

    /**
     * How many targets of a fleet are certified at a time ({@code sigkit.parallel}), if set.
     *
     * @throws ExtensionConfigurationException when it is not 1 to {@code max}
     */
    Optional<Integer> parallel(int max) {
        return find(Setting.PARALLEL).map(f -> {
            int n = integer(f);
            if (n < 1 || n > max) {
                throw invalid(f, "it must be 1 to " + max);
            }
            return n;
        });
    }

    /** Resolves and validates every setting. */
    SigkitSettings resolve() {
        return resolve(Optional.empty());
    }

    /**
     * Resolves and validates every setting; with {@code payloadField} (a {@link SignalingPayload} field), the
     * connection comes from that payload, so no target, credential or known_hosts setting is needed or read.
     */
    SigkitSettings resolve(Optional<String> payloadField) {
        Connection c = payloadField.map(f -> new Connection(new SshTarget("sigapi", "127.0.0.1", 22),
                "the @SignalingPayload field " + f, List.<Path>of(), false, Optional.<String>empty(),
                Optional.<String>empty(), home.resolve(".ssh").resolve("known_hosts"), HostKeyPolicy.STRICT))
                .orElseGet(this::connection);
        SshTarget target = c.target();
        List<Path> identities = c.identities();
        boolean agent = c.agent();
        Optional<String> passphraseEnv = c.passphraseEnv();
        Optional<String> passwordEnv = c.passwordEnv();
        Path knownHosts = c.knownHosts();
        HostKeyPolicy policy = c.policy();
        Duration connectTimeout = seconds(Setting.CONNECT_TIMEOUT_SECONDS)
                .orElse(ConnectionSettings.DEFAULT_CONNECT_TIMEOUT);

        Optional<Found> userFound = find(Setting.TASKING_USER);
        String taskingUser = userFound.map(Found::value).orElse(io.sigkit.run.RunOptions.DEFAULT_TASKING_USER);
        if (userFound.isPresent()) {
            try {
                PayloadExecCommands.configure(taskingUser, io.sigkit.bus.Window.RESERVED_FIRST);
            } catch (IllegalArgumentException e) {
                throw invalid(userFound.get(), "payload_exec's -u cannot take it: " + e.getMessage());
            }
        }
        Optional<ObjectNode> taskingParameters = find(Setting.TASKING_PARAMETERS).map(this::jsonObject);
        Optional<Duration> windowLength = seconds(Setting.WINDOW_SECONDS);
        Optional<Integer> repetitions = find(Setting.REPETITIONS).map(f -> {
            int n = integer(f);
            if (n < 1 || n > 100) {
                throw invalid(f, "it must be 1 to 100");
            }
            return n;
        });

        List<ProbeDocument> probes = probes();
        Set<String> userIds = new TreeSet<>();
        for (ProbeDocument d : probes) {
            d.paths().forEach(p -> userIds.add(p.requirement()));
            d.sudo().forEach(p -> userIds.add(p.requirement()));
        }
        Set<String> include = selection(Setting.INCLUDE, userIds);
        Set<String> exclude = selection(Setting.EXCLUDE, userIds);
        String profile = find(Setting.PROFILE).map(f -> {
            try {
                return RequirementCatalog.load().requireProfile(f.value().strip());
            } catch (IllegalArgumentException e) {
                throw invalid(f, e.getMessage());
            }
        }).orElse(RequirementCatalog.DEFAULT_PROFILE);

        SigkitSettings settings = new SigkitSettings(target, c.source(), identities, agent, passphraseEnv,
                passwordEnv, knownHosts, policy, connectTimeout, taskingUser, taskingParameters, windowLength,
                repetitions, bool(Setting.STRICT, false), include, exclude, bool(Setting.ALLOW_CLOCK_SET, false),
                bool(Setting.ALLOW_DESTRUCTIVE, false), bool(Setting.DISABLED_WHEN_UNREACHABLE, false), waivers(),
                probes, profile);
        try {
            if (payloadField.isEmpty()) {
                settings.connectionSettings();
            }
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException("sigkit: the connection settings for " + target
                    + " are invalid: " + e.getMessage(), e);
        }
        return settings;
    }

    /** The waivers file's waivers, checked against the catalog; none without {@code sigkit.waivers}. */
    private Waivers waivers() {
        Optional<Found> found = find(Setting.WAIVERS);
        if (found.isEmpty()) {
            return Waivers.none();
        }
        try {
            return Waivers.load(path(found.get().value()), RequirementCatalog.load());
        } catch (WaiverFileException e) {
            throw invalid(found.get(), e.getMessage());
        }
    }

    /** The connection settings as resolved from target, credential and known_hosts settings. */
    private record Connection(SshTarget target, String source, List<Path> identities, boolean agent,
                              Optional<String> passphraseEnv, Optional<String> passwordEnv, Path knownHosts,
                              HostKeyPolicy policy) {
    }

    private Connection connection() {
        Found targetFound = find(Setting.TARGET).orElseThrow(() -> new ExtensionConfigurationException(
                "sigkit: no payload to connect to: set " + Setting.TARGET.key()
                        + " to the payload's SSH login (user@host[:port]) with " + Setting.TARGET.howToSet()));
        SshTarget target;
        try {
            target = SshTarget.parse(targetFound.value());
        } catch (IllegalArgumentException e) {
            throw invalid(targetFound, e.getMessage());
        }

        List<Path> identities = new ArrayList<>();
        Optional<Found> identityFound = find(Setting.IDENTITY);
        if (identityFound.isPresent()) {
            for (String part : identityFound.get().value().split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                Path file = path(part.strip());
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw invalid(identityFound.get(), "the key file " + file + " does not exist or is not readable");
                }
                identities.add(file);
            }
        }
        boolean agent = bool(Setting.AGENT, false);
        Optional<String> passphraseEnv = find(Setting.PASSPHRASE_ENV).map(this::variableName);
        Optional<String> passwordEnv = find(Setting.PASSWORD_ENV).map(this::variableName);
        if (identities.isEmpty() && !agent && passwordEnv.isEmpty()) {
            throw new ExtensionConfigurationException("sigkit: no SSH credentials for " + target + ": set "
                    + Setting.IDENTITY.key() + " to a private key file with " + Setting.IDENTITY.howToSet()
                    + " (or " + Setting.AGENT.key() + "=true, or " + Setting.PASSWORD_ENV.key() + ")");
        }

        HostKeyPolicy policy = find(Setting.HOST_KEY_POLICY).map(this::hostKeyPolicy).orElse(HostKeyPolicy.STRICT);
        Optional<Found> knownHostsFound = find(Setting.KNOWN_HOSTS);
        Path knownHosts = knownHostsFound.map(f -> path(f.value()))
                .orElse(home.resolve(".ssh").resolve("known_hosts"));
        if (policy == HostKeyPolicy.STRICT && !Files.isRegularFile(knownHosts)) {
            String where = knownHostsFound.map(Found::describe)
                    .orElse(Setting.KNOWN_HOSTS.key() + " (default " + knownHosts + ")");
            throw new ExtensionConfigurationException("sigkit: " + where + ": " + knownHosts
                    + " does not exist, so the host key of " + target.address() + " cannot be verified under "
                    + Setting.HOST_KEY_POLICY.key() + "=strict: set " + Setting.KNOWN_HOSTS.key()
                    + " to a file listing the payload's host key, or " + Setting.HOST_KEY_POLICY.key()
                    + "=accept-new to trust it on first use");
        }
        return new Connection(target, targetFound.source(), identities, agent, passphraseEnv, passwordEnv, knownHosts,
                policy);
    }

    private ExtensionConfigurationException invalid(Found found, String why) {
        return new ExtensionConfigurationException("sigkit: " + found.describe() + " is invalid: " + why);
    }

    private Path path(String text) {
        if (text.equals("~")) {
            return home;
        }
        if (text.startsWith("~/")) {
            return home.resolve(text.substring(2));
        }
        return Path.of(text);
    }

    private String variableName(Found found) {
        if (!found.value().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw invalid(found, "it must name an environment variable (the secret itself never goes in a setting)");
        }
        return found.value();
    }

    private HostKeyPolicy hostKeyPolicy(Found found) {
        return switch (found.value().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "strict" -> HostKeyPolicy.STRICT;
            case "accept-new" -> HostKeyPolicy.ACCEPT_NEW;
            case "ignore" -> HostKeyPolicy.IGNORE;
            default -> throw invalid(found, "expected strict, accept-new or ignore");
        };
    }

    private boolean bool(Setting setting, boolean defaultValue) {
        Optional<Found> found = find(setting);
        if (found.isEmpty()) {
            return defaultValue;
        }
        String v = found.get().value().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw invalid(found.get(), "expected true or false");
    }

    private int integer(Found found) {
        try {
            return Integer.parseInt(found.value());
        } catch (NumberFormatException e) {
            throw invalid(found, "expected a whole number");
        }
    }

    private Optional<Duration> seconds(Setting setting) {
        return find(setting).map(f -> {
            int n = integer(f);
            if (n < 1 || n > MAX_SECONDS) {
                throw invalid(f, "expected a whole number of seconds from 1 to " + MAX_SECONDS);
            }
            return Duration.ofSeconds(n);
        });
    }

    private ObjectNode jsonObject(Found found) {
        JsonNode node;
        try {
            node = JSON.readTree(found.value());
        } catch (JsonProcessingException e) {
            throw invalid(found, "it is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw invalid(found, "expected a JSON object, e.g. {\"target\": \"Lisbon\"}");
        }
        return (ObjectNode) node;
    }

    /** The probes files of {@code sigkit.probes}, each read and checked ({@link ProbeDocument#readUserFile}). */
    private List<ProbeDocument> probes() {
        Optional<Found> found = find(Setting.PROBES);
        List<ProbeDocument> documents = new java.util.ArrayList<>();
        if (found.isEmpty()) {
            return documents;
        }
        for (String part : found.get().value().split(",")) {
            String v = part.strip();
            if (v.isEmpty()) {
                continue;
            }
            try {
                documents.add(ProbeDocument.readUserFile(path(v)));
            } catch (IllegalArgumentException e) {
                throw invalid(found.get(), e.getMessage());
            }
        }
        return documents;
    }

    private Set<String> selection(Setting setting, Set<String> userIds) {
        Optional<Found> found = find(setting);
        if (found.isEmpty()) {
            return Set.of();
        }
        RequirementCatalog catalog = RequirementCatalog.load();
        Set<String> known = new TreeSet<>(catalog.knownTags());
        known.addAll(userIds);
        if (!userIds.isEmpty()) {
            known.add(Requirement.USER_TAG);
        }
        for (String profile : catalog.profileNames()) {
            for (Requirement r : catalog.requirements(profile)) {
                known.add(r.id());
            }
        }
        Set<String> values = new LinkedHashSet<>();
        for (String part : found.get().value().split(",")) {
            String v = part.strip();
            if (v.isEmpty()) {
                continue;
            }
            if (!known.contains(v)) {
                throw invalid(found.get(), "'" + v + "' is neither a requirement ID nor a tag of the catalog; known: "
                        + String.join(", ", known));
            }
            values.add(v);
        }
        return values;
    }
}
