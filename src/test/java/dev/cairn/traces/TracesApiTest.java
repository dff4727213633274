package dev.cairn.traces;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.cairn.testsupport.CairnTestResources;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** MLflow 3's trace protocol over HTTP, replaying the 3.x client's sequences, and OTLP/HTTP ingest. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class TracesApiTest {

    static final String V3 = "/api/3.0/mlflow/traces";
    static final String V2 = "/api/2.0/mlflow/traces";

    // ---- helpers ----------------------------------------------------------------------------------

    static String experiment() {
        return given().contentType(ContentType.JSON).body("{\"name\":\"traces-" + UUID.randomUUID() + "\"}")
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
    }

    static String newTraceId() {
        return "tr-" + UUID.randomUUID().toString().replace("-", "");
    }

    static ValidatableResponse postJson(String path, String json) {
        return given().contentType(ContentType.JSON).body(json).post(path).then();
    }

    /** start_trace as the 3.x client sends it. */
    static ValidatableResponse startTrace(String exp, String traceId, String requestTime, String duration,
                                          String state, String extra) {
        return postJson(V3, "{\"trace\":{\"trace_info\":{\"trace_id\":\"" + traceId + "\","
                + "\"trace_location\":{\"type\":\"MLFLOW_EXPERIMENT\",\"mlflow_experiment\":{\"experiment_id\":\""
                + exp + "\"}},\"request_time\":\"" + requestTime + "\",\"execution_duration\":\"" + duration + "\","
                + "\"state\":\"" + state + "\"" + extra + "}}}");
    }

    static KeyValue attr(String key, String jsonText) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(jsonText)).build();
    }

    static Span span(byte[] traceId, String spanId, String parent, String name, long start, long end,
                     Status.StatusCode code, KeyValue... attrs) {
        Span.Builder b = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId))).setName(name)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(end)
                .setStatus(Status.newBuilder().setCode(code));
        if (parent != null) {
            b.setParentSpanId(ByteString.copyFrom(HexFormat.of().parseHex(parent)));
        }
        for (KeyValue a : attrs) {
            b.addAttributes(a);
        }
        return b.build();
    }

    /** A root with two children, as the MLflow client's OTLP exporter sends a finished trace. */
    static ExportTraceServiceRequest export(byte[] traceId) {
        long t0 = 1_700_000_000_000_000_000L;
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(span(traceId, "00000000000000a1", null, "agent", t0, t0 + 79_000_000L,
                                Status.StatusCode.STATUS_CODE_OK,
                                attr("mlflow.spanType", "\"AGENT\""),
                                attr("mlflow.spanInputs", "{\"question\": \"hi\"}"),
                                attr("mlflow.spanOutputs", "\"hello\"")))
                        .addSpans(span(traceId, "00000000000000b2", "00000000000000a1", "llm", t0 + 1_000_000L,
                                t0 + 50_000_000L, Status.StatusCode.STATUS_CODE_OK,
                                attr("mlflow.chat.tokenUsage",
                                        "{\"input_tokens\": 3, \"output_tokens\": 4, \"total_tokens\": 7}")))
                        .addSpans(span(traceId, "00000000000000c3", "00000000000000a1", "tool", t0 + 51_000_000L,
                                t0 + 70_000_000L, Status.StatusCode.STATUS_CODE_ERROR))))
                .build();
    }

    static byte[] randomTraceId() {
        return HexFormat.of().parseHex(UUID.randomUUID().toString().replace("-", ""));
    }

    static String b64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    // ---- start / get ------------------------------------------------------------------------------

    @Test
    void startTraceV3ThenGetReturnsTheInfoWithTheArtifactLocation() {
        String exp = experiment();
        String id = newTraceId();
        startTrace(exp, id, "2025-01-02T03:04:05.678Z", "0.079s", "OK",
                ",\"client_request_id\":\"req-1\",\"request_preview\":\"{\\\"q\\\": 1}\","
                        + "\"trace_metadata\":{\"mlflow.sourceRun\":\"abc\"},\"tags\":{\"team\":\"ml\"}")
                .statusCode(200)
                .body("trace.trace_info.trace_id", equalTo(id))
                .body("trace.trace_info.tags.'mlflow.artifactLocation'",
                        equalTo("mlflow-artifacts:/" + exp + "/traces/" + id + "/artifacts"))
                .body("trace.trace_info.tags.'mlflow.trace.spansLocation'", nullValue());
        for (String prefix : List.of("/api", "/ajax-api")) {
            given().get(prefix + "/3.0/mlflow/traces/" + id).then().statusCode(200)
                    .body("trace.trace_info.trace_location.type", equalTo("MLFLOW_EXPERIMENT"))
                    .body("trace.trace_info.trace_location.mlflow_experiment.experiment_id", equalTo(exp))
                    .body("trace.trace_info.request_time", equalTo("2025-01-02T03:04:05.678Z"))
                    .body("trace.trace_info.execution_duration", equalTo("0.079s"))
                    .body("trace.trace_info.state", equalTo("OK"))
                    .body("trace.trace_info.client_request_id", equalTo("req-1"))
                    .body("trace.trace_info.request_preview", equalTo("{\"q\": 1}"))
                    .body("trace.trace_info.trace_metadata.'mlflow.sourceRun'", equalTo("abc"))
                    .body("trace.trace_info.tags.team", equalTo("ml"));
        }
    }

    @Test
    void unknownTraceIs404ResourceDoesNotExist() {
        String id = newTraceId();
        given().get(V3 + "/" + id).then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().queryParam("trace_id", id).get(V3 + "/get").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().contentType(ContentType.JSON).body("{\"key\":\"k\",\"value\":\"v\"}").patch(V2 + "/" + id + "/tags")
                .then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    @Test
    void literalSpanReadPathsAreNotTakenForTraceIds() {
        // "get" without trace_id is a missing parameter, not an unknown trace called "get"
        given().get(V3 + "/get").then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        given().get(V3 + "/batchGet").then().statusCode(200).body("traces", nullValue());
        postJson(V3 + "/batchGetInfos", "{\"trace_ids\":[]}").statusCode(200).body("trace_infos", nullValue());
        postJson(V3 + "/search", "{\"locations\":[{\"type\":\"MLFLOW_EXPERIMENT\",\"mlflow_experiment\":"
                + "{\"experiment_id\":\"" + experiment() + "\"}}]}").statusCode(200).body("traces", nullValue());
    }

    // ---- OTLP -------------------------------------------------------------------------------------

    @Test
    void otlpProtobufExportIsReadBackThroughInfoAndBatchGet() throws Exception {
        String exp = experiment();
        byte[] otelId = randomTraceId();
        String id = "tr-" + HexFormat.of().formatHex(otelId);
        byte[] answer = given().contentType("application/x-protobuf").header("x-mlflow-experiment-id", exp)
                .body(export(otelId).toByteArray()).post("/v1/traces").then().statusCode(200)
                .contentType("application/x-protobuf").extract().asByteArray();
        assertEquals(ExportTraceServiceResponse.getDefaultInstance(), ExportTraceServiceResponse.parseFrom(answer));

        given().get(V3 + "/" + id).then().statusCode(200)
                .body("trace.trace_info.state", equalTo("OK"))
                .body("trace.trace_info.request_time", equalTo("2023-11-14T22:13:20Z"))
                .body("trace.trace_info.execution_duration", equalTo("0.079s"))
                .body("trace.trace_info.request_preview", equalTo("{\"question\": \"hi\"}"))
                .body("trace.trace_info.response_preview", equalTo("\"hello\""))
                .body("trace.trace_info.tags.'mlflow.trace.spansLocation'", equalTo("TRACKING_STORE"))
                .body("trace.trace_info.tags.'mlflow.traceName'", equalTo("agent"))
                .body("trace.trace_info.trace_metadata.'mlflow.trace.tokenUsage'",
                        equalTo("{\"input_tokens\": 3, \"output_tokens\": 4, \"total_tokens\": 7}"));

        ValidatableResponse batch = given().queryParam("trace_ids", id).get(V3 + "/batchGet").then().statusCode(200)
                .body("traces", hasSize(1))
                .body("traces[0].trace_info.trace_id", equalTo(id))
                .body("traces[0].spans", hasSize(3))
                .body("traces[0].spans.name", hasItems("agent", "llm", "tool"));
        List<Map<String, Object>> spans = batch.extract().path("traces[0].spans");
        for (Map<String, Object> s : spans) {
            assertEquals(Base64.getEncoder().encodeToString(otelId), s.get("trace_id"));
            if (s.get("name").equals("agent")) {
                assertNull(s.get("parent_span_id"));
                assertEquals(Map.of("code", "STATUS_CODE_OK"), s.get("status"));
            } else {
                assertEquals(b64("00000000000000a1"), s.get("parent_span_id"));
            }
            if (s.get("name").equals("tool")) {
                assertEquals("STATUS_CODE_ERROR", ((Map<?, ?>) s.get("status")).get("code"));
            }
        }
        given().queryParam("trace_id", id).get(V3 + "/get").then().statusCode(200)
                .body("trace.spans", hasSize(3))
                .body("trace.spans.find { it.name == 'agent' }.attributes.find { it.key == 'mlflow.spanType' }"
                        + ".value.string_value", equalTo("\"AGENT\""))
                .body("trace.spans.find { it.name == 'agent' }.attributes.find { it.key == 'mlflow.traceRequestId' }"
                        + ".value.string_value", equalTo("\"" + id + "\""));
        postJson(V3 + "/batchGetInfos", "{\"trace_ids\":[\"" + id + "\"]}").statusCode(200)
                .body("trace_infos[0].trace_id", equalTo(id));
    }

    @Test
    void otlpJsonExportWithHexIdsAndGzipIsStored() throws Exception {
        String exp = experiment();
        String hex = UUID.randomUUID().toString().replace("-", "");
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + hex + "\","
                + "\"spanId\":\"0102030405060708\",\"name\":\"root\",\"startTimeUnixNano\":\"1700000000000000000\","
                + "\"endTimeUnixNano\":\"1700000000500000000\",\"status\":{\"code\":2,\"message\":\"boom\"},"
                + "\"attributes\":[{\"key\":\"n\",\"value\":{\"intValue\":\"5\"}}],"
                + "\"events\":[{\"name\":\"exception\",\"timeUnixNano\":\"1700000000100000000\",\"attributes\":"
                + "[{\"key\":\"exception.message\",\"value\":{\"stringValue\":\"bad\"}}]}]}]}]}]}";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        given().contentType(ContentType.JSON).header("Content-Encoding", "gzip").header("x-mlflow-experiment-id", exp)
                .body(gz.toByteArray()).post("/v1/traces").then().statusCode(200);
        given().queryParam("trace_id", "tr-" + hex).get(V3 + "/get").then().statusCode(200)
                .body("trace.trace_info.state", equalTo("ERROR"))
                .body("trace.trace_info.execution_duration", equalTo("0.500s"))
                .body("trace.spans[0].span_id", equalTo(b64("0102030405060708")))
                .body("trace.spans[0].status.message", equalTo("boom"))
                .body("trace.spans[0].attributes.find { it.key == 'n' }.value.string_value", equalTo("5"))
                .body("trace.spans[0].events[0].name", equalTo("exception"))
                .body("trace.spans[0].events[0].attributes[0].value.string_value", equalTo("bad"));
    }

    @Test
    void startTraceAfterOtlpKeepsTheSpansInTheStore() {
        String exp = experiment();
        byte[] otelId = randomTraceId();
        String id = "tr-" + HexFormat.of().formatHex(otelId);
        given().contentType("application/x-protobuf").header("x-mlflow-experiment-id", exp)
                .body(export(otelId).toByteArray()).post("/v1/traces").then().statusCode(200);
        // the client's own start_trace for the root span, after the spans went by OTLP
        startTrace(exp, id, "2023-11-14T22:13:20Z", "0.079s", "OK", ",\"tags\":{\"mlflow.traceName\":\"agent\"}")
                .statusCode(200)
                .body("trace.trace_info.tags.'mlflow.trace.spansLocation'", equalTo("TRACKING_STORE"));
        given().queryParam("trace_id", id).get(V3 + "/get").then().statusCode(200).body("trace.spans", hasSize(3));
    }

    @Test
    void otlpRefusesMalformedInput() {
        String exp = experiment();
        given().contentType("application/x-protobuf").header("x-mlflow-experiment-id", exp)
                .body(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}).post("/v1/traces").then()
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        given().contentType("application/x-protobuf").header("x-mlflow-experiment-id", exp)
                .body(new byte[0]).post("/v1/traces").then().statusCode(400);
        given().contentType("application/x-protobuf").body(export(randomTraceId()).toByteArray())
                .post("/v1/traces").then().statusCode(400);
        given().contentType("text/plain").header("x-mlflow-experiment-id", exp).body("x").post("/v1/traces").then()
                .statusCode(400);
        given().contentType(ContentType.JSON).header("x-mlflow-experiment-id", exp).body("{\"resourceSpans\": 3}")
                .post("/v1/traces").then().statusCode(400);
    }

    // ---- search -----------------------------------------------------------------------------------

    @Test
    void searchFiltersByEveryKindAndPagesWithTokens() {
        String exp = experiment();
        String a = newTraceId();
        String b = newTraceId();
        String c = newTraceId();
        startTrace(exp, a, "2025-01-01T00:00:01Z", "1s", "OK",
                ",\"tags\":{\"topic\":\"sql\",\"mlflow.traceName\":\"alpha\"},"
                        + "\"trace_metadata\":{\"mlflow.sourceRun\":\"run-a\"}").statusCode(200);
        startTrace(exp, b, "2025-01-01T00:00:02Z", "2.5s", "ERROR", ",\"tags\":{\"topic\":\"ml\"}").statusCode(200);
        startTrace(exp, c, "2025-01-01T00:00:03Z", "0.1s", "IN_PROGRESS", "").statusCode(200);

        assertEquals(List.of(c, b, a), search(exp, null, null));
        assertEquals(List.of(a), search(exp, "trace.status = 'OK'", null));
        assertEquals(List.of(b), search(exp, "status = 'ERROR'", null));
        assertEquals(List.of(c, b), search(exp, "attributes.status IN ('ERROR', 'IN_PROGRESS')", null));
        assertEquals(List.of(c, b), search(exp, "trace.timestamp_ms > 1735689601000", null));
        assertEquals(List.of(a), search(exp, "timestamp <= 1735689601000", null));
        assertEquals(List.of(b), search(exp, "execution_time_ms >= 2000", null));
        assertEquals(List.of(a), search(exp, "tags.topic = 'sql'", null));
        assertEquals(List.of(b), search(exp, "tag.topic != 'sql'", null));
        assertEquals(List.of(a), search(exp, "metadata.`mlflow.sourceRun` = 'run-a'", null));
        assertEquals(List.of(a), search(exp, "run_id = 'run-a'", null));
        assertEquals(List.of(a), search(exp, "trace.name = 'alpha'", null));
        assertEquals(List.of(a, b, c), search(exp, null, "timestamp_ms ASC"));
        assertEquals(List.of(c, a, b), search(exp, null, "execution_time_ms"));

        String body = "{\"locations\":[{\"type\":\"MLFLOW_EXPERIMENT\",\"mlflow_experiment\":{\"experiment_id\":\""
                + exp + "\"}}],\"max_results\":2";
        String token = postJson(V3 + "/search", body + "}").statusCode(200)
                .body("traces.trace_id", equalTo(List.of(c, b))).extract().path("next_page_token");
        assertNotNull(token);
        postJson(V3 + "/search", body + ",\"page_token\":\"" + token + "\"}").statusCode(200)
                .body("traces.trace_id", equalTo(List.of(a))).body("next_page_token", nullValue());

        postJson(V3 + "/search", body + ",\"filter\":\"foo.bar = 1\"}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        // MLflow 2's search answers MLflow 2's TraceInfo
        given().queryParam("experiment_ids", exp).queryParam("filter", "tags.topic = 'ml'").get(V2).then()
                .statusCode(200).body("traces[0].request_id", equalTo(b)).body("traces[0].status", equalTo("ERROR"))
                .body("traces[0].timestamp_ms", equalTo(1735689602000L)).body("traces[0].execution_time_ms",
                        equalTo(2500));
    }

    private static List<String> search(String exp, String filter, String orderBy) {
        StringBuilder body = new StringBuilder("{\"locations\":[{\"type\":\"MLFLOW_EXPERIMENT\","
                + "\"mlflow_experiment\":{\"experiment_id\":\"" + exp + "\"}}]");
        if (filter != null) {
            body.append(",\"filter\":\"").append(filter.replace("\"", "\\\"")).append("\"");
        }
        if (orderBy != null) {
            body.append(",\"order_by\":[\"").append(orderBy).append("\"]");
        }
        List<String> ids = postJson(V3 + "/search", body + "}").statusCode(200).extract().path("traces.trace_id");
        return ids == null ? List.of() : ids;
    }

    // ---- tags, deletion, links --------------------------------------------------------------------

    @Test
    void setsAndDeletesTags() {
        String exp = experiment();
        String id = newTraceId();
        startTrace(exp, id, "2025-01-01T00:00:00Z", "1s", "OK", "").statusCode(200);
        for (String base : List.of(V2, V3)) {
            given().contentType(ContentType.JSON).body("{\"key\":\"k\",\"value\":\"v1\"}").patch(base + "/" + id
                    + "/tags").then().statusCode(200);
            given().get(V3 + "/" + id).then().body("trace.trace_info.tags.k", equalTo("v1"));
            given().contentType(ContentType.JSON).body("{\"key\":\"k\"}").delete(base + "/" + id + "/tags").then()
                    .statusCode(200);
            given().get(V3 + "/" + id).then().body("trace.trace_info.tags.k", nullValue());
            given().contentType(ContentType.JSON).body("{\"key\":\"k\"}").delete(base + "/" + id + "/tags").then()
                    .statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        }
    }

    @Test
    void deletesTracesByIdsAndByTimestamp() {
        String exp = experiment();
        String old1 = newTraceId();
        String old2 = newTraceId();
        String recent = newTraceId();
        String named = newTraceId();
        startTrace(exp, old1, "2020-01-01T00:00:00Z", "1s", "OK", "").statusCode(200);
        startTrace(exp, old2, "2020-01-02T00:00:00Z", "1s", "OK", "").statusCode(200);
        startTrace(exp, recent, "2025-01-01T00:00:00Z", "1s", "OK", "").statusCode(200);
        startTrace(exp, named, "2025-01-02T00:00:00Z", "1s", "OK", "").statusCode(200);

        postJson(V2 + "/delete-traces", "{\"experiment_id\":\"" + exp + "\",\"request_ids\":[\"" + named + "\"]}")
                .statusCode(200).body("traces_deleted", equalTo(1));
        postJson(V2 + "/delete-traces", "{\"experiment_id\":\"" + exp + "\",\"max_timestamp_millis\":1600000000000,"
                + "\"max_traces\":1}").statusCode(200).body("traces_deleted", equalTo(1));
        given().get(V3 + "/" + old1).then().statusCode(404);
        given().get(V3 + "/" + old2).then().statusCode(200);
        postJson(V3 + "/delete-traces", "{\"experiment_id\":\"" + exp + "\",\"max_timestamp_millis\":1600000000000}")
                .statusCode(200).body("traces_deleted", equalTo(1));
        given().get(V3 + "/" + recent).then().statusCode(200);
        postJson(V2 + "/delete-traces", "{\"experiment_id\":\"" + exp + "\"}").statusCode(400);
    }

    @Test
    void linksTracesToARunAndFindsThemByRunId() {
        String exp = experiment();
        String run = given().contentType(ContentType.JSON).body("{\"experiment_id\":\"" + exp + "\"}")
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200).extract().path("run.info.run_id");
        String id = newTraceId();
        startTrace(exp, id, "2025-01-01T00:00:00Z", "1s", "OK", "").statusCode(200);
        postJson(V2 + "/link-to-run", "{\"trace_ids\":[\"" + id + "\"],\"run_id\":\"" + run + "\"}").statusCode(200);
        assertEquals(List.of(id), search(exp, "run_id = '" + run + "'", null));
        postJson(V2 + "/link-to-run", "{\"trace_ids\":[\"" + newTraceId() + "\"],\"run_id\":\"" + run + "\"}")
                .statusCode(404);
        postJson(V2 + "/link-to-run", "{\"trace_ids\":[\"" + id + "\"],\"run_id\":\"nosuchrun\"}").statusCode(404);
    }

    // ---- assessments ------------------------------------------------------------------------------

    @Test
    void createsGetsUpdatesAndDeletesAssessments() {
        String exp = experiment();
        String id = newTraceId();
        startTrace(exp, id, "2025-01-01T00:00:00Z", "1s", "OK", "").statusCode(200);
        String feedback = postJson(V3 + "/" + id + "/assessments", "{\"assessment\":{\"assessment_name\":\"quality\","
                + "\"trace_id\":\"" + id + "\",\"source\":{\"source_type\":\"HUMAN\",\"source_id\":\"bob\"},"
                + "\"feedback\":{\"value\":0.8},\"rationale\":\"ok\",\"metadata\":{\"m\":\"1\"}}}").statusCode(200)
                .body("assessment.assessment_id", org.hamcrest.Matchers.matchesPattern("a-[0-9a-f]{32}"))
                .body("assessment.feedback.value", equalTo(0.8f))
                .body("assessment.source.source_type", equalTo("HUMAN"))
                .body("assessment.valid", equalTo(true))
                .body("assessment.create_time", notNullValue())
                .extract().path("assessment.assessment_id");
        given().get(V3 + "/" + id + "/assessments/" + feedback).then().statusCode(200)
                .body("assessment.rationale", equalTo("ok")).body("assessment.metadata.m", equalTo("1"));
        given().contentType(ContentType.JSON).body("{\"assessment\":{\"feedback\":{\"value\":\"great\"},"
                        + "\"rationale\":\"better\",\"metadata\":{\"n\":\"2\"}},\"update_mask\":\"feedback,rationale,metadata\"}")
                .patch(V3 + "/" + id + "/assessments/" + feedback).then().statusCode(200)
                .body("assessment.feedback.value", equalTo("great"))
                .body("assessment.rationale", equalTo("better"))
                .body("assessment.metadata.m", equalTo("1")).body("assessment.metadata.n", equalTo("2"));
        // an expectation overriding nothing, and a feedback overriding the first: the first turns invalid
        String override = postJson(V3 + "/" + id + "/assessments", "{\"assessment\":{\"assessment_name\":\"quality\","
                + "\"source\":{\"source_type\":\"LLM_JUDGE\"},\"feedback\":{\"value\":false},\"overrides\":\""
                + feedback + "\"}}").statusCode(200).extract().path("assessment.assessment_id");
        postJson(V3 + "/" + id + "/assessments", "{\"assessment\":{\"assessment_name\":\"expected\","
                + "\"expectation\":{\"value\":{\"answer\":42}}}}").statusCode(200)
                .body("assessment.expectation.value.answer", equalTo(42));
        given().get(V3 + "/" + id).then().statusCode(200)
                .body("trace.trace_info.assessments", hasSize(3))
                .body("trace.trace_info.assessments.find { it.assessment_id == '" + feedback + "' }.valid",
                        equalTo(false));
        given().delete(V3 + "/" + id + "/assessments/" + override).then().statusCode(200);
        given().get(V3 + "/" + id + "/assessments/" + override).then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().delete(V3 + "/" + id + "/assessments/" + override).then().statusCode(404);
        postJson(V3 + "/" + id + "/assessments", "{\"assessment\":{\"assessment_name\":\"x\"}}").statusCode(400);
    }

    // ---- MLflow 2 fallbacks -----------------------------------------------------------------------

    @Test
    void mlflow2StartEndAndInfo() {
        String exp = experiment();
        String id = postJson(V2, "{\"experiment_id\":\"" + exp + "\",\"timestamp_ms\":1700000000000,"
                + "\"request_metadata\":[{\"key\":\"a\",\"value\":\"1\"}],\"tags\":[{\"key\":\"t\",\"value\":\"x\"}]}")
                .statusCode(200).body("trace_info.status", equalTo("IN_PROGRESS"))
                .body("trace_info.tags.find { it.key == 'mlflow.artifactLocation' }", notNullValue())
                .extract().path("trace_info.request_id");
        given().contentType(ContentType.JSON).body("{\"timestamp_ms\":1700000000250,\"status\":\"OK\"}")
                .patch(V2 + "/" + id).then().statusCode(200).body("trace_info.status", equalTo("OK"))
                .body("trace_info.execution_time_ms", equalTo(250));
        given().get(V2 + "/" + id + "/info").then().statusCode(200).body("trace_info.request_id", equalTo(id))
                .body("trace_info.request_metadata[0].key", equalTo("a"));
        given().get(V2 + "/" + id).then().statusCode(200).body("trace_info.timestamp_ms", equalTo(1700000000000L));
        given().get(V3 + "/" + id).then().statusCode(200).body("trace.trace_info.execution_duration",
                equalTo("0.250s"));
        assertTrue(id.matches("[0-9a-f]{32}"));
    }
}
