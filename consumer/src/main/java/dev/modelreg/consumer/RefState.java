package dev.modelreg.consumer;

import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a sync resolved for one source and ref (state.json beside the cached models.toml).
 *
 * @param transport "oci", "github-release" or "github-raw"
 * @param digest    OCI: the manifest digest; GitHub: the sha256 of the models.toml bytes
 * @param config    the sha256 of the models.toml bytes (the OCI config digest)
 * @param tag       the OCI tag asked for (null for an OCI digest pin); for a GitHub-mode pin the git ref it was
 *                  pinned from (files without a url are downloaded from it); null otherwise
 * @param reference where it came from: the OCI repository, or the registry file's URL
 * @param zips      GitHub release zips fetched for this ref: URL -> sha256 of the zip in the blob cache
 * @param servedBy  OCI: the repository that answered (a {@code [mirrors]} endpoint or the upstream); null when
 *                  unknown (a cache written before mirrors, or GitHub). state.json key {@code served_by}.
 */
public record RefState(String source, String name, String ref, String transport, Digest digest, Digest config,
                       String tag, String reference, String time, Map<String, String> zips, String servedBy) {
    public static final String OCI = "oci";
    public static final String GITHUB_RELEASE = "github-release";
    public static final String GITHUB_RAW = "github-raw";

    public RefState {
        zips = zips == null ? Map.of() : Map.copyOf(new TreeMap<>(zips));
    }

    /** A state without {@code servedBy}. */
    public RefState(String source, String name, String ref, String transport, Digest digest, Digest config,
                    String tag, String reference, String time, Map<String, String> zips) {
        this(source, name, ref, transport, digest, config, tag, reference, time, zips, null);
    }

    public boolean isOci() {
        return OCI.equals(transport);
    }

    /** The pin {@code copy SOURCE@PIN/MODEL} accepts for this cached ref: {@code KEY@DIGEST} (manifest or models.toml). */
    public String pin() {
        return source + "@" + digest;
    }

    /** "name@ref", the way errors and listings name it. */
    public String label() {
        return name + "@" + ref;
    }

    public RefState withZip(String url, Digest d) {
        TreeMap<String, String> z = new TreeMap<>(zips);
        z.put(url, d.toString());
        return new RefState(source, name, ref, transport, digest, config, tag, reference, time, z, servedBy);
    }

    /** What every JSON report of a cached ref starts with: source, name, ref, transport and the manifest digest. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("name", name);
        m.put("ref", ref);
        m.put("transport", transport);
        m.put("digest", digest.toString());
        return m;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = describe();
        m.put("config", config.toString());
        if (tag != null) m.put("tag", tag);
        m.put("reference", reference);
        m.put("time", time);
        if (!zips.isEmpty()) m.put("zips", new TreeMap<>(zips));
        if (servedBy != null) m.put("served_by", servedBy);
        return m;
    }

    public static RefState fromJson(byte[] bytes, String what) throws ConsumerException {
        Map<String, Object> m = Json.parseObject(bytes, what);
        Map<String, String> zips = new TreeMap<>();
        if (m.get("zips") instanceof Map<?, ?> z) z.forEach((k, v) -> zips.put(String.valueOf(k), String.valueOf(v)));
        try {
            return new RefState(str(m, "source"), str(m, "name"), str(m, "ref"), str(m, "transport"),
                    Digest.parse(str(m, "digest")), Digest.parse(str(m, "config")), (String) m.get("tag"),
                    str(m, "reference"), str(m, "time"), zips,
                    m.get("served_by") instanceof String sb ? sb : null);
        } catch (RuntimeException e) {
            throw new ConsumerException(what + ": unreadable state (" + e.getMessage() + "; run modelreg sync --force)");
        }
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof String s)) throw new IllegalArgumentException("missing '" + k + "'");
        return s;
    }
}
