package io.sigkit.junit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.probe.ProbeDocument;
import io.sigkit.run.RunOptions;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.HostKeyPolicy;
import io.sigkit.transport.SecretSource;
import io.sigkit.transport.SshTarget;
import io.sigkit.waiver.Waivers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The resolved, validated settings of one {@link SignalingConformance} class (see {@link SettingsResolver}).
 *
 * @param target the payload's SSH login
 * @param targetSource where the target came from, for messages
 * @param identities private key files to offer
 * @param agent whether to offer the ssh-agent's keys
 * @param passphraseEnv the variable holding the key passphrase, if any
 * @param passwordEnv the variable holding a password, if any
 * @param knownHosts the known_hosts file
 * @param hostKeyPolicy how host keys are trusted
 * @param connectTimeout bound on connecting and on authenticating
 * @param taskingUser the Tasking API user of the windows
 * @param taskingParameters the windows' tasking parameters, if set
 * @param windowLength how far in the future windows end, if set
 * @param repetitions how many times configure is timed, if set
 * @param strict whether a RECOMMENDED requirement that is not met fails its test
 * @param include requirement IDs or tags to certify (empty: all)
 * @param exclude requirement IDs or tags not to certify
 * @param allowClockSet the reversible tier
 * @param allowDestructive the destructive tier
 * @param disabledWhenUnreachable skip instead of failing when the payload does not answer
 * @param waivers agreed deviations applied to the results ({@link Waivers#none()} without {@code sigkit.waivers})
 * @param probes users' probes files, read and validated
 * @param profile the catalog profile to certify ({@code default}, or {@code delivery}: adds SIG-DLV)
 */
record SigkitSettings(
        SshTarget target,
        String targetSource,
        List<Path> identities,
        boolean agent,
        Optional<String> passphraseEnv,
        Optional<String> passwordEnv,
        Path knownHosts,
        HostKeyPolicy hostKeyPolicy,
        Duration connectTimeout,
        String taskingUser,
        Optional<ObjectNode> taskingParameters,
        Optional<Duration> windowLength,
        Optional<Integer> repetitions,
        boolean strict,
        Set<String> include,
        Set<String> exclude,
        boolean allowClockSet,
        boolean allowDestructive,
        boolean disabledWhenUnreachable,
        Waivers waivers,
        List<ProbeDocument> probes,
        String profile) {

    /** Window length of injected {@code Window} parameters when {@code sigkit.windowSeconds} is not set. */
    static final Duration DEFAULT_INJECTED_WINDOW_LENGTH = Duration.ofSeconds(60);

    SigkitSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetSource, "targetSource");
        identities = List.copyOf(identities);
        Objects.requireNonNull(passphraseEnv, "passphraseEnv");
        Objects.requireNonNull(passwordEnv, "passwordEnv");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(hostKeyPolicy, "hostKeyPolicy");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(taskingUser, "taskingUser");
        taskingParameters = taskingParameters.map(ObjectNode::deepCopy);
        Objects.requireNonNull(windowLength, "windowLength");
        Objects.requireNonNull(repetitions, "repetitions");
        include = Set.copyOf(include);
        exclude = Set.copyOf(exclude);
        Objects.requireNonNull(waivers, "waivers");
        probes = List.copyOf(probes);
        Objects.requireNonNull(profile, "profile");
    }

    /** The connection settings for {@code PayloadConnection.open}. */
    ConnectionSettings connectionSettings() {
        ConnectionSettings.Builder b = ConnectionSettings.builder(target)
                .useAgent(agent)
                .knownHosts(knownHosts)
                .hostKeyPolicy(hostKeyPolicy)
                .connectTimeout(connectTimeout)
                .authTimeout(connectTimeout);
        identities.forEach(b::identity);
        passphraseEnv.map(SecretSource::environment).ifPresent(b::passphrase);
        passwordEnv.map(SecretSource::environment).ifPresent(b::password);
        return b.build();
    }

    /** The certification's options, before a {@link SignalingApiConformanceTests#customize} hook. */
    RunOptions.Builder runOptions() {
        return applyTo(RunOptions.builder(connectionSettings()));
    }

    /** Applies these settings' run options (all but the connection) to {@code b}. */
    RunOptions.Builder applyTo(RunOptions.Builder b) {
        b.taskingUser(taskingUser)
                .strict(strict)
                .allowClockSet(allowClockSet)
                .allowDestructive(allowDestructive)
                .waivers(waivers)
                .profile(profile);
        taskingParameters.ifPresent(b::taskingParameters);
        windowLength.ifPresent(b::windowLength);
        repetitions.ifPresent(b::repetitions);
        include.forEach(b::include);
        exclude.forEach(b::exclude);
        probes.forEach(b::probes);
        return b;
    }

    /** How far in the future an injected {@code Window} parameter ends. */
    Duration injectedWindowLength() {
        return windowLength.orElse(DEFAULT_INJECTED_WINDOW_LENGTH);
    }
}
