package io.sigkit.probe;

import io.sigkit.transport.ExecResult;
import io.sigkit.transport.ForwardResult;
import io.sigkit.transport.PayloadConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the payload's OORT agent for its available files, read-only: {@code GET /sdk/v1/query_available_files/sigkit}
 * to {@code 127.0.0.1:2005} as the payload sees it (the agent's published OpenAPI, nsat/oort-agent
 * {@code spec/oort-sdk-api.yml}, server {@code http://localhost:2005/sdk/v1}).
 *
 * <p>First through the SSH connection, as a direct-tcpip channel; when the SSH server refuses the channel (forwarding
 * disabled), the same request over exec, with the first of {@code curl}, {@code python3} or bash's {@code /dev/tcp}
 * the payload has, run by a {@link RemoteScript} (kit-written code only: nothing the payload sends becomes code, the
 * answer is a capped section). Every answer is capped at {@link #ANSWER_CAP} bytes and every exchange bounded in time.
 */
public final class OortAgentQuery {
    /** Where the agent's SDK API listens, as its SDK clients expect it. */
    public static final String HOST = "127.0.0.1";
    /** The agent's SDK API port. */
    public static final int PORT = 2005;
    /** The topic the kit asks about (the spec's pattern {@code ^[-_A-Za-z0-9]+$}); the query moves no file. */
    public static final String TOPIC = "sigkit";
    /** The request path. */
    public static final String PATH = "/sdk/v1/query_available_files/" + TOPIC;
    /** How many bytes of the answer the kit reads at most. */
    public static final int ANSWER_CAP = 64 * 1024;
    /** Bound of the forwarded exchange, and of the tool's request on the payload. */
    public static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(10);
    /** Bound of the whole exec fallback (the tool's own bound plus its start-up). */
    static final Duration EXEC_TIMEOUT = Duration.ofSeconds(20);

    /** The request, as sent (HTTP/1.0, so the answer ends when the agent closes the connection). */
    public static final String REQUEST = "GET " + PATH + " HTTP/1.0\r\nHost: " + HOST + ":" + PORT
            + "\r\nAccept: application/json\r\nUser-Agent: sigkit\r\nConnection: close\r\n\r\n";

    private static final int TOOL_SECONDS = (int) EXCHANGE_TIMEOUT.toSeconds();

    /** The exec fallback's code: python3 with no site or environment, a connect bound of 5 s, a read bound. */
    private static final String PYTHON = "import socket,sys\n"
            + "try:\n"
            + " s=socket.create_connection((\"" + HOST + "\"," + PORT + "),5)\n"
            + "except ConnectionRefusedError:\n"
            + " sys.exit(7)\n"
            + "except socket.timeout:\n"
            + " sys.exit(28)\n"
            + "except OSError:\n"
            + " sys.exit(6)\n"
            + "s.settimeout(" + TOOL_SECONDS + ")\n"
            + "s.sendall(" + pythonBytes(REQUEST) + ")\n"
            + "o=sys.stdout.buffer\n"
            + "n=0\n"
            + "try:\n"
            + " while n<=" + ANSWER_CAP + ":\n"
            + "  d=s.recv(8192)\n"
            + "  if not d:\n"
            + "   break\n"
            + "  o.write(d)\n"
            + "  n+=len(d)\n"
            + "except socket.timeout:\n"
            + " o.flush()\n"
            + " sys.exit(28)\n"
            + "o.flush()\n";

    private static final RemoteScript FALLBACK = RemoteScript.builder()
            .code("T=''; command -v timeout >/dev/null 2>&1 && T='timeout " + (TOOL_SECONDS + 2) + "'")
            .code("if command -v curl >/dev/null 2>&1; then tool=curl; elif command -v python3 >/dev/null 2>&1; then"
                    + " tool=python3; elif command -v bash >/dev/null 2>&1; then tool=bash; else tool=none; fi")
            .section("tools", "for t in curl python3 bash timeout; do command -v \"$t\" >/dev/null 2>&1 && printf '%s ' \"$t\"; done", 200)
            .section("tool", "printf '%s' \"$tool\"", 20)
            .section("answer", "case $tool in\n"
                    + " curl) $T curl -q -sS -i --raw --http1.0 --noproxy '*' --connect-timeout 5 --max-time "
                    + TOOL_SECONDS + " -H 'Accept: application/json' -H 'User-Agent: sigkit' 'http://" + HOST + ":" + PORT
                    + PATH + "' 2>/dev/null ;;\n"
                    + " python3) $T python3 -I -c '" + PYTHON + "' 2>/dev/null ;;\n"
                    + " bash) $T bash --norc --noprofile -c 'exec 3<>/dev/tcp/" + HOST + "/" + PORT + " || exit 7; printf \""
                    + REQUEST.replace("\r", "\\r").replace("\n", "\\n") + "\" >&3; cat <&3' 2>/dev/null ;;\n"
                    + " *) true ;;\n"
                    + "esac\n"
                    + "printf '%s:exit:%s\\n' \"$N\" \"$?\" >&2", ANSWER_CAP)
            .build();

    private OortAgentQuery() {
    }

    /** The exec fallback script (for tests under real shells). */
    static RemoteScript fallbackScript() {
        return FALLBACK;
    }

    /** The request through a direct-tcpip channel of the connection. */
    public static ForwardResult forward(PayloadConnection connection) {
        return connection.forward(HOST, PORT, REQUEST.getBytes(StandardCharsets.US_ASCII), ANSWER_CAP + 1, EXCHANGE_TIMEOUT);
    }

    /** The request over exec, with a tool of the payload's. */
    public static Fallback overExec(PayloadConnection connection) {
        RemoteScript.Output out = FALLBACK.run(connection, EXEC_TIMEOUT, "OORT agent query over exec");
        return Fallback.of(out);
    }

    /**
     * What the exec fallback gave.
     *
     * @param output the script's output (its {@link RemoteScript.Output#problem()} says whether it can be relied on)
     * @param tools the tools the payload has, of curl, python3, bash and timeout
     * @param tool the tool used ({@code none} when it has none of curl, python3 and bash)
     * @param exitStatus the tool's exit status, when it reported one
     * @param answer the bytes the tool printed (at most the cap)
     * @param answerCut whether the answer passed the cap
     */
    public record Fallback(RemoteScript.Output output, List<String> tools, String tool, Optional<Integer> exitStatus,
                           byte[] answer, boolean answerCut) {
        private static final Pattern EXIT = Pattern.compile("(?m)^([0-9a-f]{32}):exit:([0-9]{1,3})$");

        public Fallback {
            Objects.requireNonNull(output, "output");
            tools = List.copyOf(tools);
            answer = answer.clone();
        }

        @Override
        public byte[] answer() {
            return answer.clone();
        }

        static Fallback of(RemoteScript.Output out) {
            Sections s = out.sections();
            List<String> tools = s.has("tools") ? List.of(s.text("tools").strip().split("\\s+")) : List.of();
            String tool = s.has("tool") ? s.text("tool").strip() : "";
            Integer status = null;
            ExecResult exec = out.exec();
            Matcher m = EXIT.matcher(exec.stderr() == null ? "" : exec.stderr());
            while (m.find()) {
                if (m.group(1).equals(out.nonce())) {
                    status = Integer.valueOf(m.group(2));
                }
            }
            return new Fallback(out, tools.stream().filter(t -> !t.isEmpty()).toList(), tool,
                    Optional.ofNullable(status), s.has("answer") ? s.bytes("answer") : new byte[0], s.cut("answer"));
        }

        /** Whether the tool could not connect at all (curl's and the kit's code 7, or bash's failed redirection). */
        public boolean connectionRefused() {
            return exitStatus.isPresent() && exitStatus.get() == 7 && answer.length == 0;
        }

        /** Whether the tool's own bound, or {@code timeout}'s, was hit. */
        public boolean timedOut() {
            return exitStatus.isPresent() && (exitStatus.get() == 28 || exitStatus.get() == 124);
        }
    }

    private static String pythonBytes(String ascii) {
        return "b\"" + ascii.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
