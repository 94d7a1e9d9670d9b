package dev.modelreg.content;

import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Digest;
import dev.modelreg.spec.Json;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.Text;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pushes a referrer (oras attach): an OCI image manifest with {@code artifactType}, the empty config
 * ({@code application/vnd.oci.empty.v1+json}, {@code {}}), one layer per file ({@code application/octet-stream},
 * titled with the file's name), the given annotations and a {@code subject} naming the manifest it refers to; then makes
 * it findable ({@link ReferrerIndex#link}: the referrers tag where the store has no referrers API). The same files,
 * type and annotations give the same manifest (no timestamp), so a second attach writes nothing new.
 */
public final class Attach {
    private Attach() {}

    /** The media type of the empty config, and its bytes (image-spec 1.1 "Guidance for an Empty Descriptor"). */
    public static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
    private static final byte[] EMPTY = {'{', '}'};

    /** Attaches {@code files} to {@code subject} in {@code dst} as a referrer of {@code artifactType}; returns it. */
    public static Descriptor run(Target dst, Descriptor subject, String artifactType, List<Path> files,
            Map<String, String> annotations) throws IOException {
        if (artifactType == null || artifactType.isBlank() || !artifactType.matches("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*")) {
            throw ContentException.invalid("artifact type '" + Text.printable(String.valueOf(artifactType))
                    + "' is not a media type (TYPE/SUBTYPE)");
        }
        if (!subject.isManifest()) {
            throw ContentException.invalid(subject.digest() + " is not a manifest (" + Text.printable(subject.mediaType()) + "): nothing to attach to");
        }
        Descriptor config = Descriptor.of(EMPTY_CONFIG, Digest.sha256Of(EMPTY), EMPTY.length);
        push(dst, config, new ByteArrayInputStream(EMPTY));
        List<Object> layers = new ArrayList<>();
        Set<String> titles = new HashSet<>();
        for (Path f : files) {
            String title = f.getFileName() == null ? "" : f.getFileName().toString();
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw ContentException.notFound(Text.printable(f.toString()) + ": not a regular file");
            }
            if (!titles.add(title)) {
                throw ContentException.invalid("two files named '" + Text.printable(title) + "': a referrer's layers are titled by file name");
            }
            Hashing.Hashed h = Hashing.hash(f, LinkOption.NOFOLLOW_LINKS);
            Descriptor d = Descriptor.of("application/octet-stream", h.digest(), h.size()).withAnnotations(Map.of(Annotations.TITLE, title));
            try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                push(dst, d, in); // verified as it is written: a file that changed since it was hashed is refused
            }
            layers.add(Manifest.descriptorJson(d));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2L);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", artifactType);
        m.put("config", Manifest.descriptorJson(config));
        m.put("layers", layers);
        m.put("subject", Manifest.descriptorJson(Descriptor.of(subject.mediaType(), subject.digest(), subject.size())));
        if (annotations != null && !annotations.isEmpty()) m.put("annotations", new TreeMap<>(annotations));
        byte[] b = Json.writeBytes(m);
        Descriptor manifest = Descriptor.of(MediaTypes.OCI_MANIFEST, Digest.sha256Of(b), b.length);
        push(dst, manifest, new ByteArrayInputStream(b));
        ReferrerIndex.link(dst, subject.digest(), List.of(manifest), Map.of(manifest.digest(), b));
        return manifest;
    }

    private static void push(Target dst, Descriptor d, InputStream in) throws IOException {
        if (!dst.exists(d)) dst.push(d, in);
    }
}
