package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How SIG-DLV-001 judges what answered on port 2005 (the bytes are the payload's: untrusted, any shape). */
class DeliveryChecksTests {

    private static DeliveryChecks.Judgement judge(String raw) {
        return DeliveryChecks.judge(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void an_available_files_response_passes_with_its_file_count() {
        // GIVEN the agent's answer per its OpenAPI (AvailableFilesResponse)
        String body = "{\"files\": [{\"id\": \"a\"}, {\"id\": \"b\"}], \"overflow\": false}";
        DeliveryChecks.Judgement j = judge("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);

        // THEN it passes, counting the files
        assertThat(j.passed()).as(j.summary()).isTrue();
        assertThat(j.evidence()).containsEntry("files", 2).containsEntry("overflow", "false")
                .containsEntry("contentType", "application/json");
        assertThat(j.summary()).contains("status 200").contains("2 file(s)");
    }

    @Test
    void a_chunked_answer_is_decoded() {
        DeliveryChecks.Judgement j = judge("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n{\"fil\r\n9\r\nes\": []}\n\r\n0\r\n\r\n");

        assertThat(j.passed()).as(j.summary()).isTrue();
        assertThat(j.evidence()).containsEntry("files", 0);
    }

    @Test
    void other_answers_fail_saying_what_was_seen() {
        // GIVEN answers that are not the agent's SDK API
        DeliveryChecks.Judgement notFound = judge("HTTP/1.0 404 Not Found\r\n\r\n{\"status\": 404}");
        DeliveryChecks.Judgement notJson = judge("HTTP/1.0 200 OK\r\n\r\n<html>hello</html>");
        DeliveryChecks.Judgement noFiles = judge("HTTP/1.0 200 OK\r\n\r\n{\"UUID\": \"x\"}");
        DeliveryChecks.Judgement filesObject = judge("HTTP/1.0 200 OK\r\n\r\n{\"files\": {}}");
        DeliveryChecks.Judgement array = judge("HTTP/1.0 200 OK\r\n\r\n[]");
        DeliveryChecks.Judgement notHttp = judge("SSH-2.0-OpenSSH_9.2\r\n");
        DeliveryChecks.Judgement cut = judge("HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n{\"files\": []}");
        DeliveryChecks.Judgement empty = judge("");

        // THEN each fails, and the summary names what was wrong
        assertThat(notFound.passed()).isFalse();
        assertThat(notFound.summary()).contains("404");
        assertThat(notFound.actual()).isEqualTo("status 404");
        assertThat(notJson.summary()).contains("not JSON").contains("<html>hello</html>");
        assertThat(noFiles.summary()).contains("'files' is missing");
        assertThat(filesObject.summary()).contains("'files' is not an array");
        assertThat(array.summary()).contains("not a JSON object");
        assertThat(notHttp.summary()).contains("not an HTTP answer").contains("SSH-2.0-OpenSSH_9.2");
        assertThat(cut.summary()).contains("ended before the length");
        assertThat(empty.summary()).contains("no bytes");
        assertThat(java.util.List.of(notJson, noFiles, filesObject, array, notHttp, cut, empty))
                .noneMatch(DeliveryChecks.Judgement::passed);
    }

    @Test
    void payload_text_in_the_evidence_is_cut_to_an_excerpt() {
        // GIVEN a 200 answer with a huge non-JSON body
        DeliveryChecks.Judgement j = judge("HTTP/1.0 200 OK\r\n\r\n" + "x".repeat(10_000));

        // THEN the body is kept as an excerpt only
        assertThat(j.passed()).isFalse();
        assertThat(j.evidence().get("body").toString()).hasSizeLessThanOrEqualTo(201);
        assertThat(j.summary()).hasSizeLessThan(400);
    }
}
