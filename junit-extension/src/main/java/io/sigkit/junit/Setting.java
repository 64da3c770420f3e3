package io.sigkit.junit;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting of {@link SignalingConformance}: its key ({@code sigkit.knownHosts}), its environment variable
 * ({@code SIGKIT_KNOWN_HOSTS}) and the annotation attribute that sets it.
 */
enum Setting {
    TARGET("target", a -> text(a.target())),
    IDENTITY("identity", a -> text(a.identity())),
    AGENT("agent", a -> flag(a.agent())),
    PASSPHRASE_ENV("passphraseEnv", a -> text(a.passphraseEnv())),
    PASSWORD_ENV("passwordEnv", a -> text(a.passwordEnv())),
    KNOWN_HOSTS("knownHosts", a -> text(a.knownHosts())),
    HOST_KEY_POLICY("hostKeyPolicy", a -> text(a.hostKeyPolicy())),
    CONNECT_TIMEOUT_SECONDS("connectTimeoutSeconds", a -> number(a.connectTimeoutSeconds())),
    TASKING_USER("taskingUser", a -> text(a.taskingUser())),
    TASKING_PARAMETERS("taskingParameters", a -> text(a.taskingParameters())),
    WINDOW_SECONDS("windowSeconds", a -> number(a.windowSeconds())),
    REPETITIONS("repetitions", a -> number(a.repetitions())),
    STRICT("strict", a -> flag(a.strict())),
    WAIVERS("waivers", a -> text(a.waivers())),
    INCLUDE("include", a -> list(a.include())),
    EXCLUDE("exclude", a -> list(a.exclude())),
    PROBES("probes", a -> list(a.probes())),
    ALLOW_CLOCK_SET("allowClockSet", a -> flag(a.allowClockSet())),
    ALLOW_DESTRUCTIVE("allowDestructive", a -> flag(a.allowDestructive())),
    DISABLED_WHEN_UNREACHABLE("disabledWhenUnreachable", a -> flag(a.disabledWhenUnreachable())),
    PROFILE("profile", a -> text(a.profile())),
    INVENTORY("inventory", a -> text(a.inventory())),
    PARALLEL("parallel", a -> number(a.parallel()));

    private final String attribute;
    private final Function<SignalingConformance, Optional<String>> fromAnnotation;

    Setting(String attribute, Function<SignalingConformance, Optional<String>> fromAnnotation) {
        this.attribute = attribute;
        this.fromAnnotation = fromAnnotation;
    }

    /** The annotation attribute, e.g. {@code knownHosts}. */
    String attribute() {
        return attribute;
    }

    /** The configuration parameter / system property key, e.g. {@code sigkit.knownHosts}. */
    String key() {
        return "sigkit." + attribute;
    }

    /** The environment variable, e.g. {@code SIGKIT_KNOWN_HOSTS}. */
    String environmentVariable() {
        return "SIGKIT_" + attribute.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** The value the annotation sets, if it sets one (attributes left at their defaults set nothing). */
    Optional<String> from(SignalingConformance annotation) {
        return fromAnnotation.apply(annotation);
    }

    /** Where this setting can be given, for messages. */
    String howToSet() {
        return "@SignalingConformance(" + attribute + " = ...), the configuration parameter or system property "
                + key() + " (e.g. in junit-platform.properties), or the environment variable " + environmentVariable();
    }

    private static Optional<String> text(String value) {
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<String> flag(boolean value) {
        return value ? Optional.of("true") : Optional.empty();
    }

    private static Optional<String> number(int value) {
        return value == 0 ? Optional.empty() : Optional.of(Integer.toString(value));
    }

    private static Optional<String> list(String[] values) {
        return values.length == 0 ? Optional.empty() : Optional.of(String.join(",", Arrays.asList(values)));
    }
}
