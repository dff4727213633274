package dev.cairn.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A model version's immutable file list and its digest.
 *
 * <p>The canonical form is compact JSON, files sorted by path (UTF-16 order, as Java sorts strings):
 * {@code {"files":[{"path":"MLmodel","sha256":"<hex>","size":123},...]}}, with keys in that order and JSON
 * string escaping of paths. The digest is {@code sha256:} + the hex SHA-256 of those UTF-8 bytes. It covers
 * content only (no version number or name), so equal content gives equal digests, and a deployment tool
 * can verify a download by recomputing the digest of the manifest and the SHA-256 of every file.
 */
public record Manifest(List<File> files) {

    /** One pinned file. */
    public record File(String path, long size, String sha256) {
    }

    public Manifest {
        files = files.stream().sorted(Comparator.comparing(File::path)).toList();
    }

    /** The canonical JSON bytes (what the manifest endpoint serves). */
    public byte[] canonicalBytes() {
        StringBuilder sb = new StringBuilder(64 + files.size() * 120).append("{\"files\":[");
        for (int i = 0; i < files.size(); i++) {
            File f = files.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"path\":");
            quote(sb, f.path());
            sb.append(",\"sha256\":\"").append(f.sha256()).append("\",\"size\":").append(f.size()).append('}');
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    public String digest() {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}
