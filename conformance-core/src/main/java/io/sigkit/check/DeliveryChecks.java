package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.probe.BootEntries;
import io.sigkit.probe.HttpAnswer;
import io.sigkit.probe.OortAgentQuery;
import io.sigkit.transport.ForwardResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SIG-DLV (profile {@code delivery}): what a flight model needs beyond the Signaling API — the OORT agent answering its
 * SDK API on port 2005, and set to start at boot. Both are read-only.
 */
final class DeliveryChecks {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String WHERE = OortAgentQuery.HOST + ":" + OortAgentQuery.PORT;

    private DeliveryChecks() {
    }

    static List<CheckDefinition> all() {
        return List.of(
                check("SIG-DLV-001", DeliveryChecks::agentAnswers, "SIG-ENV-003"),
                check("SIG-DLV-002", DeliveryChecks::agentStartsAtBoot, "SIG-ENV-003"));
    }

    static RequirementResult agentAnswers(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-DLV-001");
        r.evidence("request", "GET " + OortAgentQuery.PATH + " to " + WHERE + " on the payload");
        ctx.step("asking the OORT agent on " + WHERE + " through the SSH connection");
        ForwardResult forwarded = OortAgentQuery.forward(ctx.connection().orElseThrow());
        r.evidence("directTcpip", forwarded.status().name() + (forwarded.detail().isEmpty() ? "" : ": " + forwarded.detail()))
                .evidence("elapsedMillis", forwarded.elapsed().toMillis());
        switch (forwarded.status()) {
            case ANSWERED:
                r.evidence("route", "direct-tcpip");
                return judged(r, forwarded.received(), "through a direct-tcpip channel of the SSH connection");
            case CAPPED:
                return r.evidence("route", "direct-tcpip").error("the answer of " + WHERE + " passed the kit's cap of "
                        + OortAgentQuery.ANSWER_CAP + " bytes (the rest was not read)");
            case TIMED_OUT:
                return r.evidence("route", "direct-tcpip").error("no complete answer from " + WHERE + " within "
                        + OortAgentQuery.EXCHANGE_TIMEOUT.toSeconds() + " s through a direct-tcpip channel ("
                        + forwarded.detail() + ")");
            case CONNECT_FAILED:
                return r.evidence("route", "direct-tcpip").fail("nothing accepts connections on " + WHERE + " of "
                        + ctx.targetText() + ": the SSH server could not connect to port " + OortAgentQuery.PORT + " ("
                        + forwarded.detail() + "), so the OORT agent's SDK API is not there",
                        "the OORT agent's SDK API on " + WHERE, "connection to port " + OortAgentQuery.PORT + " refused");
            default:
                return overExec(ctx, r, forwarded);
        }
    }

    /** The SSH server refused the channel (forwarding off), or it broke: the same request with a tool of the payload. */
    private static RequirementResult overExec(CheckContext ctx, RequirementResult.Builder r, ForwardResult forwarded) {
        String why = (forwarded.status() == ForwardResult.Status.REFUSED
                ? "the SSH server refused a direct-tcpip channel to " : "the direct-tcpip channel broke on its way to ")
                + WHERE + " (" + forwarded.detail() + ")";
        ctx.step(why + ": asking the OORT agent over exec");
        OortAgentQuery.Fallback f = OortAgentQuery.overExec(ctx.connection().orElseThrow());
        r.evidence("route", "exec (" + f.tool() + ")").evidence("toolsOnPayload", f.tools())
                .evidence("toolExitStatus", f.exitStatus().orElse(null));
        if (f.answerCut()) {
            return r.error("the answer of " + WHERE + " passed the kit's cap of " + OortAgentQuery.ANSWER_CAP
                    + " bytes (the rest was not read)");
        }
        String problem = f.output().problem();
        if (problem != null) {
            return r.error("the kit could not ask the OORT agent over exec: " + problem);
        }
        if (f.tool().equals("none")) {
            return r.notVerified("AllowTcpForwarding in the payload's SSH server, or curl, python3 or bash on the payload",
                    why + ", and the payload has none of curl, python3 and bash to ask it itself");
        }
        if (f.connectionRefused()) {
            return r.fail("nothing accepts connections on " + WHERE + " of " + ctx.targetText() + ": " + f.tool()
                    + " on the payload could not connect to port " + OortAgentQuery.PORT + " (" + why
                    + "), so the OORT agent's SDK API is not there",
                    "the OORT agent's SDK API on " + WHERE, "connection to port " + OortAgentQuery.PORT + " refused");
        }
        if (f.timedOut()) {
            return r.error("no complete answer from " + WHERE + " within " + OortAgentQuery.EXCHANGE_TIMEOUT.toSeconds()
                    + " s (" + f.tool() + " on the payload, exit status " + f.exitStatus().orElse(-1) + ")");
        }
        if (f.answer().length == 0) {
            return r.error(f.tool() + " on the payload printed no answer from " + WHERE + " (exit status "
                    + f.exitStatus().map(String::valueOf).orElse("unknown") + "); " + why);
        }
        return judged(r, f.answer(), "over exec with " + f.tool() + " on the payload (" + why + ")");
    }

    /** Judges an answer that arrived whole. */
    private static RequirementResult judged(RequirementResult.Builder r, byte[] raw, String how) {
        Judgement j = judge(raw);
        r.evidence(j.evidence());
        if (j.passed()) {
            return r.pass("the OORT agent answered on " + WHERE + " " + how + ": " + j.summary());
        }
        return r.fail("port " + OortAgentQuery.PORT + " (" + WHERE + ") answered " + how + ", but not as the OORT agent's SDK"
                + " API: " + j.summary(), j.expected(), j.actual());
    }

    /**
     * What an answer to the query shows.
     *
     * @param passed status 200 with a JSON object whose {@code files} is an array
     * @param summary what was seen, one clause
     * @param expected for a failure
     * @param actual for a failure
     * @param evidence status line, content type, body excerpt, number of files
     */
    record Judgement(boolean passed, String summary, String expected, String actual, Map<String, Object> evidence) {
    }

    static Judgement judge(byte[] raw) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        String expected = "HTTP 200 with a JSON object whose 'files' is an array (AvailableFilesResponse)";
        HttpAnswer answer;
        try {
            answer = HttpAnswer.parse(raw);
        } catch (IllegalArgumentException e) {
            evidence.put("answerStart", excerpt(new String(raw, StandardCharsets.UTF_8)));
            return new Judgement(false, "not an HTTP answer (" + e.getMessage() + ")", expected, "not HTTP", evidence);
        }
        String body = answer.bodyText();
        evidence.put("statusLine", answer.statusLine());
        answer.header("content-type").ifPresent(type -> evidence.put("contentType", type));
        evidence.put("body", excerpt(body));
        if (!answer.complete()) {
            return new Judgement(false, "the answer ended before the length its headers announced (" + answer.body().length
                    + " bytes of body)", expected, "a cut answer", evidence);
        }
        if (answer.statusCode() != 200) {
            return new Judgement(false, "status '" + excerpt(answer.statusLine()) + "'", expected,
                    "status " + answer.statusCode(), evidence);
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return new Judgement(false, "status 200, but the body is not JSON: '" + excerpt(body) + "'", expected,
                    "not JSON", evidence);
        }
        if (json == null || !json.isObject()) {
            return new Judgement(false, "status 200, but the body is not a JSON object: '" + excerpt(body) + "'", expected,
                    "not a JSON object", evidence);
        }
        JsonNode files = json.get("files");
        if (files == null || !files.isArray()) {
            return new Judgement(false, "status 200, but 'files' is " + (files == null ? "missing" : "not an array")
                    + " in '" + excerpt(body) + "'", expected, files == null ? "no 'files'" : "'files' not an array",
                    evidence);
        }
        evidence.put("files", files.size());
        if (json.has("overflow")) {
            evidence.put("overflow", json.get("overflow").asText());
        }
        return new Judgement(true, "status 200, " + files.size() + " file(s) available for topic '"
                + OortAgentQuery.TOPIC + "'", null, null, evidence);
    }

    static RequirementResult agentStartsAtBoot(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-DLV-002");
        ctx.step("listing what starts the OORT agent at boot");
        BootEntries boot = BootEntries.probe(ctx.connection().orElseThrow());
        r.evidence("init", boot.init()).evidence("entries", boot.entries().stream().map(BootEntries.Entry::toString).toList());
        List<BootEntries.Entry> starting = boot.startingAtBoot();
        if (!starting.isEmpty()) {
            return r.pass("the OORT agent is set to start at boot: " + describe(starting));
        }
        List<BootEntries.Entry> installed = boot.ofKind(BootEntries.Kind.SYSTEMD_UNIT, BootEntries.Kind.SYSTEMD_MASKED,
                BootEntries.Kind.SYSTEMD_DANGLING, BootEntries.Kind.SYSV_SCRIPT, BootEntries.Kind.SYSV_SCRIPT_NOT_EXECUTABLE);
        if (!installed.isEmpty()) {
            return r.fail("the OORT agent is installed for boot on " + ctx.targetText() + " but nothing enables it: "
                    + describe(installed) + " (no link in a systemd *.wants directory, no start link in /etc/rc2.d..rc5.d)",
                    "an enabled boot entry for the OORT agent", describe(installed));
        }
        return r.notVerified("a boot entry the kit knows (systemd unit, init script, monit, daemontools or runit service,"
                + " OpenRC, inittab, rc.local)", "no boot entry naming the OORT agent (a name containing 'oort') was found on "
                + ctx.targetText() + " (init: " + (boot.init().isEmpty() ? "unknown" : boot.init()) + "): it may be started"
                + " by a mechanism the kit does not know, or not at all");
    }

    private static String describe(List<BootEntries.Entry> entries) {
        return String.join(", ", entries.stream().map(BootEntries.Entry::toString).toList());
    }

    private static String excerpt(String text) {
        String one = text.strip();
        return one.length() <= 200 ? one : one.substring(0, 200) + "…";
    }
}
