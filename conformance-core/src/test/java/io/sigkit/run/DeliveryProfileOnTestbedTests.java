package io.sigkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.testbed.LoginShell;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.SshServerKind;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The delivery profile (SIG-DLV) on real payloads: the reference carries a stand-in OORT agent on 127.0.0.1:2005 of its
 * own network namespace (hence {@code --netns}), enabled for boot as a systemd unit; {@code delivery-no-oort-agent} is
 * the reference without it.
 */
@RequiresTestbed
class DeliveryProfileOnTestbedTests {

    private static RunOptions.Builder delivery(RunningPayload payload) {
        return CertificationOnTestbedTests.options(payload).profile("delivery").include("environment").include("delivery");
    }

    /** Makes the payload's OpenSSH server refuse direct-tcpip channels, as 'AllowTcpForwarding no' does. */
    private static void refuseForwarding(RunningPayload payload) {
        var r = payload.execShell("printf 'AllowTcpForwarding no\\n' >> /etc/ssh/sshd_config && kill -HUP 1 && sleep 1");
        assertThat(r.exitStatus()).as("reloading sshd: %s", r.stderr()).isZero();
    }

    @Test
    void SIG_DLV_001_and_002_pass_on_the_reference_through_a_direct_tcpip_channel() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns())) {
            // GIVEN the reference payload, whose agent answers on 127.0.0.1:2005 and is enabled for boot
            // WHEN the kit certifies it in the delivery profile
            RunResult r = Certification.run(delivery(payload).build());
            String all = CertificationOnTestbedTests.describe(r);

            // THEN the agent answered through the SSH connection, and its boot entry was found
            RequirementResult agent = r.result("SIG-DLV-001").orElseThrow();
            assertThat(agent.outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(agent.evidence()).containsEntry("route", "direct-tcpip").containsEntry("files", 0)
                    .containsEntry("statusLine", "HTTP/1.0 200 OK");
            assertThat(agent.message()).startsWith("[SIG-DLV-001]").contains("127.0.0.1:2005");
            RequirementResult boot = r.result("SIG-DLV-002").orElseThrow();
            assertThat(boot.outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(boot.message()).contains("multi-user.target.wants/oort-agent.service");
            assertThat(r.settings()).containsEntry("profile", "delivery");
        }
    }

    @Test
    void SIG_DLV_001_fails_naming_port_2005_on_the_variant_without_agent() {
        try (RunningPayload payload = Testbed.start(Variants.named("delivery-no-oort-agent").spec())) {
            // GIVEN a payload built without the OORT agent
            // WHEN the kit certifies it in the delivery profile
            RunResult r = Certification.run(delivery(payload).build());
            String all = CertificationOnTestbedTests.describe(r);

            // THEN SIG-DLV-001 fails, naming the port; no boot entry is found, which the kit says it cannot judge
            RequirementResult agent = r.result("SIG-DLV-001").orElseThrow();
            assertThat(agent.outcome()).as(all).isEqualTo(Outcome.FAIL);
            assertThat(agent.message()).startsWith("[SIG-DLV-001]").contains("port 2005").contains("127.0.0.1:2005");
            assertThat(agent.evidence()).containsEntry("route", "direct-tcpip");
            assertThat(r.result("SIG-DLV-002").orElseThrow().outcome()).as(all).isEqualTo(Outcome.NOT_VERIFIED);
            assertThat(r.verdict()).isEqualTo(Verdict.NOT_CONFORMANT);
        }
    }

    @Test
    void when_the_ssh_server_refuses_forwarding_the_query_falls_back_to_exec() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns())) {
            // GIVEN the reference payload whose sshd refuses direct-tcpip channels (AllowTcpForwarding no)
            refuseForwarding(payload);

            // WHEN the kit certifies it in the delivery profile
            RunResult r = Certification.run(delivery(payload).build());
            String all = CertificationOnTestbedTests.describe(r);

            // THEN it asked over exec with a tool of the payload's, and the agent passes
            RequirementResult agent = r.result("SIG-DLV-001").orElseThrow();
            assertThat(agent.outcome()).as(all).isEqualTo(Outcome.PASS);
            assertThat(agent.evidence().get("directTcpip").toString()).startsWith("REFUSED");
            assertThat(agent.evidence().get("route").toString()).startsWith("exec (");
            assertThat(agent.message()).contains("over exec").contains("refused a direct-tcpip channel");
            assertThat(agent.evidence()).containsEntry("files", 0);
        }
    }

    /**
     * The exec fallback with each tool it knows: curl, else python3, else bash's /dev/tcp; with none of them
     * SIG-DLV-001 is NOT_VERIFIED, saying why. Tools are hidden by renaming them inside the instance (its overlay).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "curl, bash, ''",
            "python3, bash, mv /usr/bin/curl /usr/bin/curl.hidden",
            "bash, bash, mv /usr/bin/curl /usr/bin/curl.hidden && mv /usr/bin/python3 /usr/bin/python3.hidden",
            "none, dash, mv /usr/bin/curl /usr/bin/curl.hidden && mv /usr/bin/python3 /usr/bin/python3.hidden"
                    + " && mv /usr/bin/bash /usr/bin/bash.hidden"})
    void the_exec_fallback_uses_the_tool_the_payload_has(String tool, String shell, String hide) {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns()
                .withShell(LoginShell.valueOf(shell.toUpperCase(java.util.Locale.ROOT))))) {
            // GIVEN the reference, refusing forwarding, with only some of the tools
            refuseForwarding(payload);
            if (!hide.isEmpty()) {
                var hidden = payload.execShell(hide);
                assertThat(hidden.exitStatus()).as(hidden.stderr()).isZero();
            }

            // WHEN the kit certifies it in the delivery profile
            RunResult r = Certification.run(delivery(payload).build());
            RequirementResult agent = r.result("SIG-DLV-001").orElseThrow();
            String all = CertificationOnTestbedTests.describe(r);

            // THEN it asked with that tool and the agent passed; with no tool it says it could not verify, and why
            assertThat(agent.evidence()).as(all).containsEntry("route", "exec (" + tool + ")");
            if (tool.equals("none")) {
                assertThat(agent.outcome()).as(all).isEqualTo(Outcome.NOT_VERIFIED);
                assertThat(agent.message()).contains("none of curl, python3 and bash").contains("refused");
            } else {
                assertThat(agent.outcome()).as(all).isEqualTo(Outcome.PASS);
                assertThat(agent.evidence()).containsEntry("files", 0).containsEntry("toolExitStatus", 0);
            }
        }
    }

    /**
     * What answers on port 2005 is the payload's: an answer past the cap, or none within the bound, is the kit's ERROR
     * (it could not judge), never the payload's FAIL. A stand-in server replaces the agent inside the instance.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"floods", "never answers"})
    void an_answer_past_the_cap_or_the_time_bound_is_error_not_fail(String what) {
        try (RunningPayload payload = Testbed.start(Variants.named("delivery-no-oort-agent").spec())) {
            // GIVEN a payload whose port 2005 is held by a server that floods (300 kB), or never answers
            String serve = what.equals("floods")
                    ? "d = b'HTTP/1.0 200 OK\\r\\n\\r\\n' + b'x' * 300000\n"
                      + "while True:\n"
                      + "    c, _ = s.accept()\n"
                      + "    try:\n"
                      + "        if c.recv(4096):\n"
                      + "            c.sendall(d)\n"
                      + "    except OSError:\n"
                      + "        pass\n"
                      + "    c.close()\n"
                    : "held = []\n"
                      + "while True:\n"
                      + "    held.append(s.accept()[0])\n";
            String server = "import socket\n"
                    + "s = socket.socket()\n"
                    + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                    + "s.bind(('127.0.0.1', 2005))\n"
                    + "s.listen(8)\n" + serve;
            var started = payload.exec("bash", "-c", "printf '%s' \"$1\" > /tmp/hold2005.py"
                    + " && (setsid python3 /tmp/hold2005.py </dev/null >/dev/null 2>&1 &)"
                    + " && for i in {1..50}; do (exec 3<>/dev/tcp/127.0.0.1/2005) 2>/dev/null && exit 0; sleep 0.1; done;"
                    + " exit 1", "hold2005", server);
            assertThat(started.exitStatus()).as("%s: %s", what, started.stderr()).isZero();

            // WHEN the kit certifies it in the delivery profile
            RunResult r = Certification.run(delivery(payload).build());
            RequirementResult agent = r.result("SIG-DLV-001").orElseThrow();

            // THEN SIG-DLV-001 is ERROR, saying which bound was hit
            assertThat(agent.outcome()).as(CertificationOnTestbedTests.describe(r)).isEqualTo(Outcome.ERROR);
            assertThat(agent.message()).contains(what.equals("floods") ? "passed the kit's cap of 65536 bytes"
                    : "no complete answer from 127.0.0.1:2005 within 10 s");
        }
    }

    @Test
    void without_agent_and_without_forwarding_the_exec_fallback_fails_naming_port_2005() {
        try (RunningPayload payload = Testbed.start(Variants.named("delivery-no-oort-agent").spec())) {
            // GIVEN a payload without agent whose sshd refuses forwarding
            refuseForwarding(payload);

            // WHEN the kit certifies it in the delivery profile
            RunResult r = Certification.run(delivery(payload).build());

            // THEN the tool on the payload could not connect, and SIG-DLV-001 fails naming the port
            RequirementResult agent = r.result("SIG-DLV-001").orElseThrow();
            assertThat(agent.outcome()).as(CertificationOnTestbedTests.describe(r)).isEqualTo(Outcome.FAIL);
            assertThat(agent.message()).contains("could not connect to port 2005");
            assertThat(agent.evidence()).containsEntry("toolExitStatus", 7);
        }
    }

    @Test
    void on_dropbear_a_missing_agent_fails_through_forwarding() {
        try (RunningPayload payload = Testbed.start(Variants.named("delivery-no-oort-agent").spec()
                .withServer(SshServerKind.DROPBEAR))) {
            // GIVEN a Dropbear payload without agent
            // WHEN the kit certifies it in the delivery profile
            RunResult r = Certification.run(delivery(payload).build());

            // THEN Dropbear could not connect to the port, and SIG-DLV-001 fails naming it
            RequirementResult agent = r.result("SIG-DLV-001").orElseThrow();
            assertThat(agent.outcome()).as(CertificationOnTestbedTests.describe(r)).isEqualTo(Outcome.FAIL);
            assertThat(agent.message()).contains("port 2005");
            assertThat(agent.evidence()).as(agent.evidence().toString()).containsEntry("route", "direct-tcpip");
        }
    }

    @Test
    void SIG_DLV_002_fails_when_the_agent_unit_is_installed_but_not_enabled() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns())) {
            // GIVEN the reference, running its agent, whose unit someone disabled (the wants link removed)
            assertThat(payload.execShell("rm /etc/systemd/system/multi-user.target.wants/oort-agent.service")
                    .exitStatus()).isZero();

            // WHEN the kit certifies it in the delivery profile
            RunResult r = Certification.run(delivery(payload).build());
            String all = CertificationOnTestbedTests.describe(r);

            // THEN the agent answers, but SIG-DLV-002 fails naming the unit that nothing enables
            assertThat(r.result("SIG-DLV-001").orElseThrow().outcome()).as(all).isEqualTo(Outcome.PASS);
            RequirementResult boot = r.result("SIG-DLV-002").orElseThrow();
            assertThat(boot.outcome()).as(all).isEqualTo(Outcome.FAIL);
            assertThat(boot.message()).contains("/etc/systemd/system/oort-agent.service").contains("nothing enables it")
                    .contains("systemctl enable");
        }
    }

    @Test
    void the_default_profile_reports_no_dlv_entry_and_runs_no_delivery_check() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns())) {
            // GIVEN the reference with its agent
            // WHEN the kit certifies it in the default profile
            RunResult r = Certification.run(CertificationOnTestbedTests.options(payload).include("environment").build());

            // THEN the results are exactly the Signaling API catalog's, no SIG-DLV, no profile setting, and the agent
            // was never asked
            assertThat(r.results()).extracting(RequirementResult::id).containsExactlyElementsOf(
                    RequirementCatalog.load().requirements().stream().map(Requirement::id).toList());
            assertThat(r.settings()).doesNotContainKey("profile");
            assertThat(r.transcript()).noneMatch(t -> t.purpose().contains("OORT"));
            assertThat(payload.exec("cat", "/var/log/oort-agent.log").stdout()).contains("listening on 127.0.0.1:2005")
                    .doesNotContain("query_available_files");
        }
    }
}
