package io.sigkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.testbed.LoginShell;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The payload under test, and any local user on it, is untrusted (issue 9): planted names, forged owner records, a
 * concurrent run and a run killed with SIGKILL, each against the real reference payload of the testbed. In each case
 * nothing is executed, nothing outside the kit's own items is removed, the cleanup report is true and the verdict is
 * the reference's.
 */
@RequiresTestbed
class HostileRunsTests {

    /** What a run of the reference with the default tiers and no link hook gives besides PASS. */
    static void assertReferenceVerdict(RunResult r) {
        assertThat(r.results()).as(CertificationOnTestbedTests.describe(r)).filteredOn(x -> x.outcome() != Outcome.PASS)
                .extracting(RequirementResult::id)
                .containsExactlyInAnyOrder("SIG-START-006", "SIG-TIME-002", "SIG-END-001");
        assertThat(r.verdict()).isEqualTo(Verdict.INCOMPLETE);
    }

    /** Runs a script as the signaling user inside the payload (planting as the payload itself would). */
    static void asUser(RunningPayload payload, String script) {
        var r = payload.exec("runuser", "-u", payload.user(), "--", "sh", "-c", script);
        assertThat(r.exitStatus()).as("planting as %s: %s", payload.user(), r.stderr()).isZero();
    }

    @ParameterizedTest(name = "login shell {0}")
    @EnumSource(value = LoginShell.class, names = {"BASH", "DASH", "ASH"})
    void planted_names_are_neither_executed_nor_followed_nor_removed(LoginShell shell) {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withShell(shell))) {
            // GIVEN names planted in /tmp and the inbox that a sloppy sweep would turn into rm targets or shell code,
            // canaries in the signaling user's home, and a config in the kit's reserved range left by someone else
            asUser(payload, "cd /tmp && touch \"$(printf 'sigkit-x\\ncanary')\" 'sigkit-$(touch${IFS}pwned)'"
                    + " 'sigkit-`touch pwned2`' 'sigkit-a\\n\\057home\\057'\"$(id -un)\"'\\057canary2' 'sigkit-12\" ruler'"
                    + " && mkdir -p 'sigkit-$(touch${IFS}pwned3)' && touch ~/canary ~/canary2"
                    + " && mkdir -p /signaling/inbox/other && touch \"$(printf '/signaling/inbox/other/sigkit-x\\ncanary')\""
                    + " && printf '{}' > /signaling/window_configs/2100999999.json");
            PayloadSnapshot before = PayloadSnapshot.of(payload);
            String tmpBefore = payload.execShell("ls -A /tmp | sort").stdout();
            // WHEN the kit certifies it
            RunResult r = Certification.run(CertificationOnTestbedTests.options(payload).build());
            // THEN the verdict is the reference's, the cleanup is complete and true
            assertReferenceVerdict(r);
            assertThat(r.cleanupComplete()).as("cleanup %s", r.cleanup()).isTrue();
            assertThat(r.cleanup()).noneMatch(i -> i.origin().equals("earlier run"));
            // AND nothing planted was executed, followed or removed
            String home = "~" + payload.user();
            assertThat(payload.execShell("ls -d /tmp/pwned* " + home + "/pwned* / 2>/dev/null").stdout().strip())
                    .as("files a planted name would create if executed").isEqualTo("/");
            assertThat(payload.execShell("test -e ~" + payload.user() + "/canary && test -e ~" + payload.user()
                    + "/canary2").exitStatus()).isZero();
            assertThat(PayloadSnapshot.of(payload)).isEqualTo(before);
            assertThat(payload.execShell("ls -A /tmp | sort").stdout()).isEqualTo(tmpBefore);
            // AND the run says what it left alone
            @SuppressWarnings("unchecked")
            List<String> leftAlone = (List<String>) r.settings().get("leftAlone");
            assertThat(leftAlone).isNotEmpty().allSatisfy(l -> assertThat(l).contains("no valid owner record"));
        }
    }

    @Test
    void forged_owner_records_never_make_the_kit_remove_anything_outside_its_patterns() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            // GIVEN stale-looking owner records planted by the signaling user: one naming the user's files, one naming
            // a config outside the run's windows, one with a run ID that is not its directory's; and a link of another
            // owner's shape pointing at a directory with content
            asUser(payload, "touch ~/precious /signaling/window_configs/1304893.json"
                    + " && d=/tmp/sigkit-00000000000000aa && mkdir $d && printf 'sigkit-run 1\\nrun 00000000000000aa\\nlease 1\\n"
                    + "window 2100000001\\npath '\"$HOME\"'/precious\\n' > $d/owner && touch -d @1 $d/owner"
                    + " && d=/tmp/sigkit-00000000000000bb && mkdir $d && printf 'sigkit-run 1\\nrun 00000000000000bb\\nlease 1\\n"
                    + "window 2100000001\\npath /signaling/window_configs/1304893.json\\n' > $d/owner && touch -d @1 $d/owner"
                    + " && d=/tmp/sigkit-00000000000000cc && mkdir $d && printf 'sigkit-run 1\\nrun 00000000000000dd\\nlease 1\\n"
                    + "window 2100000001\\n' > $d/owner && touch -d @1 $d/owner"
                    + " && mkdir -p ~/victim && touch ~/victim/file");
            payload.execShell("ln -s ~" + payload.user() + "/victim /tmp/sigkit-00000000000000ee");
            PayloadSnapshot before = PayloadSnapshot.of(payload);
            // WHEN the kit certifies it
            RunResult r = Certification.run(CertificationOnTestbedTests.options(payload).build());
            // THEN all of it is left alone and reported, and the verdict is the reference's
            assertReferenceVerdict(r);
            assertThat(payload.execShell("test -e ~" + payload.user() + "/precious && test -e ~" + payload.user()
                    + "/victim/file && test -e /tmp/sigkit-00000000000000aa && test -L /tmp/sigkit-00000000000000ee"
                    + " && test -e /signaling/window_configs/1304893.json").exitStatus()).isZero();
            assertThat(PayloadSnapshot.of(payload)).isEqualTo(before);
            @SuppressWarnings("unchecked")
            List<String> leftAlone = (List<String>) r.settings().get("leftAlone");
            assertThat(leftAlone).hasSize(4);
        }
    }

    @Test
    void two_concurrent_certifications_of_one_payload_both_give_the_right_verdict() throws Exception {
        // (the second waits for the first: the bus never runs two windows at once, and runs share the inbox)
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            PayloadSnapshot before = PayloadSnapshot.of(payload);
            // WHEN two runs certify the payload, the second starting 3 s after the first
            CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(
                    () -> Certification.run(CertificationOnTestbedTests.options(payload).build()));
            Thread.sleep(3000);
            RunResult second = Certification.run(CertificationOnTestbedTests.options(payload).build());
            RunResult one = first.get(120, TimeUnit.SECONDS);
            // THEN both give the reference's verdict, each removed only its own items, and the payload is as before
            assertReferenceVerdict(one);
            assertReferenceVerdict(second);
            // (an inbox directory both runs needed is removed by whichever run is last: the other reports it not empty)
            for (RunResult x : List.of(one, second)) {
                assertThat(x.cleanup()).as("cleanup %s", x.cleanup()).filteredOn(i -> !i.removed())
                        .allSatisfy(i -> assertThat(i.note()).contains("another run"));
            }
            assertThat(second.cleanup()).noneMatch(i -> i.origin().equals("earlier run"));
            assertThat(one.settings().get("windowIds")).isNotEqualTo(second.settings().get("windowIds"));
            assertThat(second.startedAt()).isBefore(one.endedAt());
            assertThat(PayloadSnapshot.of(payload)).isEqualTo(before);
        }
    }

    @Test
    void a_run_killed_with_sigkill_leaves_items_that_the_next_run_removes() throws Exception {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            PayloadSnapshot before = PayloadSnapshot.of(payload);
            // GIVEN a run in a JVM of its own, with a 5 s lease, killed with SIGKILL while its main window runs
            String java = ProcessHandle.current().info().command().orElse("java");
            Process run = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    KilledRunMain.class.getName(), payload.target(), payload.identity().toString(),
                    payload.knownHosts().toString(), "5").redirectErrorStream(true).start();
            List<String> steps = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                Instant deadline = Instant.now().plusSeconds(90);
                while ((line = out.readLine()) != null && Instant.now().isBefore(deadline)) {
                    steps.add(line);
                    if (line.startsWith("step closing the SSH session")) {
                        break;
                    }
                }
                Thread.sleep(500);
                run.destroyForcibly();
                assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(steps).as("the killed run's steps").anyMatch(l -> l.startsWith("step closing the SSH session"));
            // AND what it left: its scratch directory, window configs
            assertThat(payload.execShell("ls -d /tmp/sigkit-* && ls /signaling/window_configs | grep -q 2100").exitStatus())
                    .as("the killed run left items").isZero();
            // WHEN, after its lease ran out, another run certifies the payload
            Thread.sleep(6000);
            RunResult r = Certification.run(CertificationOnTestbedTests.options(payload).build());
            // THEN it removed the killed run's items (and says so), gave the reference's verdict, and left the payload
            // as it was before both
            assertReferenceVerdict(r);
            assertThat(r.cleanup()).filteredOn(i -> i.origin().equals("earlier run"))
                    .isNotEmpty().allSatisfy(i -> assertThat(i.removed()).as(i.toString()).isTrue())
                    .anySatisfy(i -> assertThat(i.kind()).isEqualTo(CleanupItem.Kind.WINDOW_CONFIG));
            assertThat(r.cleanupComplete()).as("cleanup %s", r.cleanup()).isTrue();
            assertThat(payload.execShell("ls -d /tmp/sigkit-* 2>/dev/null").stdout()).isEmpty();
            assertThat(PayloadSnapshot.of(payload)).isEqualTo(before);
        }
    }

    @Test
    void a_configure_timeout_ends_only_the_configure_the_kit_started() throws Exception {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withVariant("configure-never-ends"))) {
            // GIVEN a configure of window W already running on the payload, started by someone else
            long w = io.sigkit.bus.Window.RESERVED_FIRST + 4242;
            var settings = CertificationOnTestbedTests.options(payload).build().connection();
            try (io.sigkit.transport.PayloadConnection c = io.sigkit.transport.PayloadConnection.open(settings)) {
                io.sigkit.bus.SatelliteBus bus = new io.sigkit.bus.SatelliteBus(c);
                io.sigkit.bus.Window window = new io.sigkit.bus.Window(w, "sigkit", Instant.now().plusSeconds(30), null, null);
                bus.placeWindowConfig(window);
                payload.execShell("runuser -u " + payload.user() + " -- sh -c 'nohup /usr/bin/payload_exec -u sigkit -e -w "
                        + w + " > /dev/null 2>&1 &'");
                Thread.sleep(1500);
                List<io.sigkit.probe.RemoteProcess> before = bus.windowProcesses(w);
                assertThat(before).hasSize(1);
                // WHEN the kit's own configure of W times out
                var result = bus.configure(window, Duration.ofSeconds(2));
                assertThat(result.exec().timedOut()).isTrue();
                // THEN the kit ended its own configure, and the one that was running before is still running
                List<io.sigkit.probe.RemoteProcess> after = bus.windowProcesses(w);
                assertThat(after).extracting(io.sigkit.probe.RemoteProcess::pid)
                        .containsExactly(before.get(0).pid());
                payload.execShell("kill " + before.get(0).pid());
                bus.cleanUp();
            }
        }
    }

    @Test
    void a_tasking_user_outside_the_argument_contract_is_refused_before_anything_runs() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            for (String bad : List.of("../..", "a b", "$(id)", "-rf", ".hidden")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> CertificationOnTestbedTests.options(payload).taskingUser(bad).build())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tasking user '" + bad + "'");
            }
        }
        assertThat(Duration.ZERO).isZero();
    }
}
