package dev.cairn.mlflow;

import dev.cairn.common.CairnException;
import dev.cairn.common.Validation;
import dev.cairn.common.http.Bodies;
import dev.cairn.common.http.RequestLimits;
import dev.cairn.traces.OtlpSpans;
import dev.cairn.traces.SpanIngestService;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * OTLP/HTTP trace export ({@code POST /v1/traces}), as MLflow's server takes it: protobuf
 * ({@code application/x-protobuf}) or OTLP's JSON ({@code application/json}), optionally gzip- or
 * deflate-compressed, into the experiment named by {@code x-mlflow-experiment-id}. The body is read bounded by the
 * JSON body limit, after decompression too. Success is an empty ExportTraceServiceResponse in the request's
 * encoding.
 */
@Path("/v1/traces")
public class OtlpTraceResource {

    static final String PROTOBUF = "application/x-protobuf";
    static final String EXPERIMENT_HEADER = "x-mlflow-experiment-id";

    @Inject SpanIngestService ingest;

    @Inject RequestLimits limits;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response export(@HeaderParam("Content-Type") String contentType,
                           @HeaderParam("Content-Encoding") String contentEncoding,
                           @HeaderParam(EXPERIMENT_HEADER) String experimentId, InputStream body) throws IOException {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean json = mediaType.equals(MediaType.APPLICATION_JSON);
        if (!json && !mediaType.equals(PROTOBUF)) {
            throw CairnException.invalid("Invalid Content-Type: " + contentType + ". Expected: " + PROTOBUF
                    + " or " + MediaType.APPLICATION_JSON);
        }
        if (experimentId == null || experimentId.isBlank()) {
            throw Validation.missing(EXPERIMENT_HEADER + " header");
        }
        byte[] bytes = decompress(Bodies.read(body, limits.jsonBody()), contentEncoding);
        ExportTraceServiceRequest request = json
                ? OtlpSpans.parseJson(Bodies.readUtf8(new ByteArrayInputStream(bytes), limits.jsonBody()))
                : OtlpSpans.parseProtobuf(bytes);
        ingest.ingest(experimentId.strip(), OtlpSpans.spans(request));
        return json
                ? Response.ok("{}", MediaType.APPLICATION_JSON).build()
                : Response.ok(ExportTraceServiceResponse.getDefaultInstance().toByteArray(), PROTOBUF).build();
    }

    /** gzip, deflate (zlib or raw) or identity; the inflated body is bounded like any body. */
    private byte[] decompress(byte[] raw, String encoding) throws IOException {
        String e = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
        try {
            return switch (e) {
                case "", "identity" -> raw;
                case "gzip" -> Bodies.read(new GZIPInputStream(new ByteArrayInputStream(raw)), limits.jsonBody());
                case "deflate" -> inflate(raw);
                default -> throw CairnException.invalid("Unsupported Content-Encoding: " + encoding);
            };
        } catch (ZipException | java.io.EOFException ex) {
            throw CairnException.invalid("Failed to decompress " + e + " payload");
        }
    }

    private byte[] inflate(byte[] raw) throws IOException {
        try {
            return Bodies.read(new InflaterInputStream(new ByteArrayInputStream(raw)), limits.jsonBody());
        } catch (ZipException notZlib) {
            // Some clients send a raw DEFLATE stream without the zlib header.
            return Bodies.read(new InflaterInputStream(new ByteArrayInputStream(raw), new Inflater(true)),
                    limits.jsonBody());
        }
    }
}
